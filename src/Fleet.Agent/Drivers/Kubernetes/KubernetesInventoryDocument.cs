namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>The on-disk shape of the kubernetes inventory; versioned so a later agent can migrate it.</summary>
internal sealed class KubernetesInventoryDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public Dictionary<string, KubernetesCapabilityRecord> Capabilities { get; set; } = new(StringComparer.Ordinal);
}
