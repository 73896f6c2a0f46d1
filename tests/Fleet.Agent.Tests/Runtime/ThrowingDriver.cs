using Fleet.Agent.Drivers;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// A driver with a bug: its converge throws the first <paramref name="failures"/> times (<see cref="Always"/>: every
/// time), then converges everything at once to Ready; its removal throws when <paramref name="removalThrows"/>.
/// </summary>
internal sealed class ThrowingDriver(int failures, bool removalThrows = false) : ITargetDriver
{
    public const int Always = int.MaxValue;

    public const string Reason = "driver bug: the index was out of range";

    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _converges;

    public string Name => "throwing";

    /// <summary>How many converges were asked for, the throwing ones included.</summary>
    public int Converges => Volatile.Read(ref _converges);

    public IReadOnlyCollection<string> OwnedCapabilities
    {
        get
        {
            lock (_gate)
            {
                return [.. _owned];
            }
        }
    }

    public Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _converges) <= failures)
        {
            throw new InvalidOperationException(Reason);
        }

        lock (_gate)
        {
            _owned.Add(desired.Key);
        }

        return Task.FromResult(new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash, State = ResourceState.Ready });
    }

    public Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken)
    {
        if (removalThrows)
        {
            throw new IOException(Reason);
        }

        lock (_gate)
        {
            _owned.Remove(capabilityKey);
        }

        return Task.FromResult(new CapabilityReport { Key = capabilityKey, Removed = true });
    }

    public Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken) =>
        Task.FromResult<CapabilityReport?>(null);
}
