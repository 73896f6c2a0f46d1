using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>The one shape every driver reports drift in: the capability Drifted, each drifted resource with what differs.</summary>
internal static class DriftReport
{
    /// <summary>Null when nothing drifted; <paramref name="line"/> is how one drifted resource reads in the message.</summary>
    public static CapabilityReport? For(DesiredCapability desired, IReadOnlyList<ResourceReport> drifted, Func<ResourceReport, string> line)
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
            Message = "drifted: " + string.Join("; ", drifted.Select(line)),
        };
        report.Resources.Add(drifted);
        return report;
    }
}
