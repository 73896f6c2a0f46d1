namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>How the kubernetes driver applies.</summary>
internal sealed record KubernetesDriverOptions
{
    /// <summary>The server-side apply field manager; stable, so every apply by any agent version owns the same fields.</summary>
    public string FieldManager { get; init; } = "fleet-agent";

    /// <summary>
    /// Take fields another manager owns (<c>force=true</c>) on every apply. Off by default: a conflict is reported
    /// and left to a person. Correcting drift of an object exactly as the agent applied it always forces, since the
    /// agent owned those fields until someone changed them behind its back.
    /// </summary>
    public bool ForceConflicts { get; init; }

    /// <summary>Where namespaced objects without <c>metadata.namespace</c> go.</summary>
    public string DefaultNamespace { get; init; } = "default";
}
