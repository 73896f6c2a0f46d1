using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>The one shape every driver reports drift in: the capability Drifted, each drifted resource with what differs.</summary>
internal static class DriftReport
{
    /// <summary>Null when nothing drifted.</summary>
    public static CapabilityReport? For(DesiredCapability desired, IReadOnlyList<ResourceReport> drifted)
    {
        if (drifted.Count == 0)
        {
            return null;
        }

        var report = new CapabilityReport
        {
            Key = desired.Key,
            Revision = desired.Revision,
            Hash = desired.Hash,
            State = ResourceState.Drifted,
            Message = "drifted: " + string.Join("; ", drifted.Select(d => $"{d.Id}: {d.Message}")),
        };
        report.Resources.Add(drifted);
        return report;
    }
}
