using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Agent.Runtime;

/// <summary>
/// The last desired set the hub sent, kept in the state directory so that an agent restarted while the
/// hub is unreachable still converges its target (and keeps correcting drift) from what it last knew.
/// </summary>
internal sealed class DesiredStateStore(string stateDirectory)
{
    private readonly string _path = Path.Combine(stateDirectory, "desired.pb");

    public DesiredSet? Load()
    {
        try
        {
            return File.Exists(_path) ? DesiredSet.Parser.ParseFrom(File.ReadAllBytes(_path)) : null;
        }
        catch (InvalidProtocolBufferException)
        {
            // A torn or foreign file: start empty and take the hub's word when it answers.
            return null;
        }
    }

    public void Save(DesiredSet desired)
    {
        Directory.CreateDirectory(stateDirectory);
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            desired.WriteTo(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }
}
