using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Agent.Runtime;

/// <summary>
/// The last desired set the hub sent, kept in the state directory so that an agent restarted while the
/// hub is unreachable still converges its target (and keeps correcting drift) from what it last knew. It holds
/// rendered resources, exec environment values among them: the file is 0600 in the 0700 state directory.
/// </summary>
internal sealed class DesiredStateStore
{
    public const string FileName = "desired.pb";

    private readonly string _path;

    public DesiredStateStore(string stateDirectory)
    {
        OwnerOnlyDirectory.Ensure(stateDirectory);
        _path = Path.Combine(stateDirectory, FileName);
    }

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

    /// <summary>
    /// Replaces the file atomically and durably: a temporary file of a unique name created exclusively (never a link
    /// planted there), fsynced, renamed over the old one (replacing a link there, not following it), directory fsynced.
    /// </summary>
    public void Save(DesiredSet desired) => AtomicFile.Write(_path, desired.ToByteArray(), OwnerOnlyDirectory.FileMode);
}
