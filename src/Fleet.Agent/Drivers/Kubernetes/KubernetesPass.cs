using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>One kubernetes converge: every manifest parsed once (for the order and the apply), and the kinds it defines.</summary>
internal sealed class KubernetesPass(DesiredCapability desired) : ConvergePass<AppliedObject>(desired)
{
    /// <summary>Per resource (by reference), its manifest or why it has none; an awaiting resource has neither.</summary>
    public Dictionary<Resource, (JsonObject? Manifest, string? Error)> Parsed { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The (group, kind) pairs the capability's own CustomResourceDefinitions define.</summary>
    public HashSet<(string Group, string Kind)> DefinedHere { get; set; } = [];
}
