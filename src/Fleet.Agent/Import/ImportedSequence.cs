using System.Globalization;
using System.Text;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Agent.Runtime;

namespace Fleet.Agent.Import;

/// <summary>
/// The sequence of the last desired bundle this target imported, in <c>STATE-DIR/bundle.sequence</c> (0600, replaced
/// atomically): a bundle is imported only if its sequence is greater, so an older bundle, or the same one again, is
/// refused. A file that holds no number is an error, never a reset to 0, which would let every old bundle in again.
/// </summary>
internal sealed class ImportedSequence(string stateDirectory)
{
    public const string FileName = "bundle.sequence";

    public string Path { get; } = System.IO.Path.Combine(stateDirectory, FileName);

    /// <summary>The last imported sequence; 0 when nothing was imported yet.</summary>
    public long Load()
    {
        if (!File.Exists(Path))
        {
            return 0;
        }

        var text = File.ReadAllText(Path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new InvalidDataException($"{Path} holds no bundle sequence number: it was changed by hand; restore it, or write the last imported sequence into it");
    }

    public void Save(long sequence) =>
        AtomicFile.Write(Path, Encoding.UTF8.GetBytes(sequence.ToString(CultureInfo.InvariantCulture) + "\n"), OwnerOnlyDirectory.FileMode);
}
