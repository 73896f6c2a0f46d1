using Fleet.Domain.Targets;
using Fleet.Domain.Validation;
using Fleet.Hub.Targets;
using Fleet.Protocol.Agent.V1;
using static Fleet.Hub.Agents.AgentMessageLimits;

namespace Fleet.Hub.Agents;

/// <summary>
/// Validates and converts what an agent sends. Agents are a trust boundary: names, labels, facts and
/// report sizes are checked before anything reaches a grain.
/// </summary>
internal static class AgentMessageValidator
{
    public static string? ValidateHello(Hello hello)
    {
        if (!NameRules.IsDns1123Label(hello.Name))
        {
            return $"target name '{Truncate(hello.Name, 80)}' is not a DNS-1123 label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters)";
        }

        if (!Drivers.Contains(hello.Driver))
        {
            return $"driver '{Truncate(hello.Driver, 40)}' is not one of {string.Join(", ", Drivers)}";
        }

        if (hello.AgentVersion.Length > MaxAgentVersionLength || hello.AgentVersion.Any(char.IsControl))
        {
            return $"agent version is too long or not printable (at most {MaxAgentVersionLength} characters)";
        }

        if (hello.Labels.Count > MaxLabels)
        {
            return $"too many labels ({hello.Labels.Count}, at most {MaxLabels})";
        }

        foreach (var (key, value) in hello.Labels)
        {
            if (!NameRules.IsLabelKey(key))
            {
                return $"label key '{Truncate(key, 80)}' is not a valid Kubernetes label key";
            }

            if (!NameRules.IsLabelValue(value))
            {
                return $"label {Truncate(key, 80)}: value '{Truncate(value, 80)}' is not a valid Kubernetes label value";
            }
        }

        if (hello.Facts.Count > MaxFacts)
        {
            return $"too many facts ({hello.Facts.Count}, at most {MaxFacts})";
        }

        foreach (var (key, value) in hello.Facts)
        {
            if (key.Length == 0 || key.Length > MaxFactKeyLength || value.Length > MaxFactValueLength || key.Any(char.IsControl))
            {
                return $"fact '{Truncate(key, 80)}' is empty or too long (key ≤ {MaxFactKeyLength}, value ≤ {MaxFactValueLength} characters)";
            }
        }

        if (hello.Current.Count > MaxReports)
        {
            return $"too many capability reports ({hello.Current.Count}, at most {MaxReports})";
        }

        return hello.Current.Select(ValidateReport).FirstOrDefault(e => e is not null);
    }

    public static string? ValidateReport(CapabilityReport report)
    {
        if (report.Key.Length == 0 || report.Key.Length > MaxKeyLength)
        {
            return "a report has an empty or too long capability key";
        }

        if (report.Hash.Length > MaxHashLength || report.Revision < 0)
        {
            return $"report for {Truncate(report.Key, 80)}: bad hash or revision";
        }

        if (report.Resources.Count > MaxResourcesPerReport)
        {
            return $"report for {Truncate(report.Key, 80)}: too many resources";
        }

        foreach (var resource in report.Resources)
        {
            if (resource.Id.Length > MaxKeyLength || resource.Hash.Length > MaxHashLength)
            {
                return $"report for {Truncate(report.Key, 80)}: a resource id or hash is too long";
            }

            if (resource.ObservedJson.Length > MaxObservedJsonLength)
            {
                return $"report for {Truncate(report.Key, 80)}: the observed state of resource {Truncate(resource.Id, 80)} is larger than {MaxObservedJsonLength} characters";
            }
        }

        return null;
    }

    public static AgentHello ToHello(Hello hello) => new(
        new Dictionary<string, string>(hello.Labels, StringComparer.Ordinal),
        new Dictionary<string, string>(hello.Facts, StringComparer.Ordinal),
        hello.Driver,
        hello.Current.Select(ToReport).ToList());

    public static ReportedCapability ToReport(CapabilityReport report) => new()
    {
        Key = report.Key,
        Revision = report.Revision,
        Hash = report.Hash,
        State = StateOf(report.State),
        Message = Truncate(report.Message, MaxMessageLength),
        Removed = report.Removed,
        Resources = report.Resources
            .Select(r => new ReportedResource(r.Id, r.Hash, StateOf(r.State), Truncate(r.Message, MaxMessageLength))
            {
                ObservedJson = r.ObservedJson.Length == 0 ? null : r.ObservedJson,
            })
            .ToList(),
    };

    /// <summary>The agent's wire enum to the hub's state; a value this hub does not know (a newer agent) reads as Pending.</summary>
    public static TargetCapabilityState StateOf(ResourceState state) => state switch
    {
        ResourceState.Pending => TargetCapabilityState.Pending,
        ResourceState.Applying => TargetCapabilityState.Applying,
        ResourceState.Ready => TargetCapabilityState.Ready,
        ResourceState.Failed => TargetCapabilityState.Failed,
        ResourceState.Drifted => TargetCapabilityState.Drifted,
        ResourceState.Removing => TargetCapabilityState.Removing,
        _ => TargetCapabilityState.Pending,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
