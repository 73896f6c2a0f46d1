namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>The objects one capability key applied, in dependency order (removal walks it backwards).</summary>
internal sealed class KubernetesCapabilityRecord
{
    public long Revision { get; set; }

    public string Hash { get; set; } = "";

    public List<AppliedObject> Objects { get; set; } = [];
}
