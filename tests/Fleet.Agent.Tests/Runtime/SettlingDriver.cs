using Fleet.Agent.Drivers;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// A driver whose one resource per capability is <paramref name="waiting"/> (Applying: rolling out; Pending: awaiting
/// the hub) for the first <paramref name="waitingConverges"/> converges, then Ready.
/// </summary>
internal sealed class SettlingDriver(int waitingConverges, ResourceState waiting = ResourceState.Applying) : ITargetDriver
{
    public const int Never = int.MaxValue;

    private int _converges;

    public string Name => "settling";

    public int Converges => Volatile.Read(ref _converges);

    public IReadOnlyCollection<string> OwnedCapabilities => [];

    public Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        var state = Interlocked.Increment(ref _converges) <= waitingConverges ? waiting : ResourceState.Ready;
        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash, State = state == ResourceState.Ready ? state : ResourceState.Applying };
        report.Resources.Add(new ResourceReport { Id = "deployment", Hash = "r1", State = state });
        return Task.FromResult(report);
    }

    public Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken) =>
        Task.FromResult(new CapabilityReport { Key = capabilityKey, Removed = true });

    public Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken) =>
        Task.FromResult<CapabilityReport?>(null);
}
