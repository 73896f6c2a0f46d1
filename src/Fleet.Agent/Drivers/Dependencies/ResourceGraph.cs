using Fleet.Protocol.Agent.V1;
using DomainGraph = Fleet.Domain.Rendering.ResourceGraph;

namespace Fleet.Agent.Drivers.Dependencies;

/// <summary>
/// The resources of one desired capability in an order they may be applied in: each after every resource its
/// <c>depends_on</c> names, otherwise as the hub sent them (already dependencies first), with a driver's own
/// preference (namespaces and CRDs first) only where the dependencies leave a choice. The ordering and the cycle search
/// are the domain's (<see cref="DomainGraph"/>), the ones the hub renders by; this maps the wire's ids onto them. The
/// wire is not trusted: an unknown id or a cycle is an error for the whole capability, because no order could then
/// guarantee that a resource is applied only after what it reads.
/// </summary>
internal sealed class ResourceGraph
{
    private ResourceGraph(IReadOnlyList<Resource> order, string? error)
    {
        Order = order;
        Error = error;
    }

    /// <summary>Every resource of the capability exactly once, dependencies first; empty when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<Resource> Order { get; }

    /// <summary>Why the capability cannot be applied at all (unknown ids, cycles), naming each problem; null when it can.</summary>
    public string? Error { get; }

    /// <param name="desired">The capability as received.</param>
    /// <param name="preference">
    /// Lower goes first among resources whose dependencies are all placed (and so do their dependencies); ties keep
    /// the sent order.
    /// </param>
    public static ResourceGraph Build(DesiredCapability desired, Func<Resource, int>? preference = null)
    {
        var resources = desired.Resources;

        // Duplicate and empty ids are the driver's to report per resource; a dependency names the first of an id.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i].Id.Length > 0)
            {
                index.TryAdd(resources[i].Id, i);
            }
        }

        var problems = new List<string>();
        var dependencies = new IReadOnlyCollection<int>[resources.Count];
        for (var i = 0; i < resources.Count; i++)
        {
            var on = new List<int>();
            foreach (var dependency in resources[i].DependsOn.Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(dependency, out var from))
                {
                    problems.Add($"{CapabilityOutcome.Display(resources[i].Id)} depends on unknown resource \"{dependency}\"");
                }
                else if (from == i)
                {
                    problems.Add($"dependency cycle: {CapabilityOutcome.Display(resources[i].Id)} depends on itself");
                }
                else
                {
                    on.Add(from);
                }
            }

            dependencies[i] = on;
        }

        // Every problem at once, as fleet apply reports them: whoever fixes the capability should not need two rounds.
        problems.AddRange(DomainGraph.Cycles(dependencies).Select(cycle => $"dependency cycle: {string.Join(" → ", cycle.Select(i => CapabilityOutcome.Display(resources[i].Id)))}"));
        if (problems.Count > 0)
        {
            return new ResourceGraph([], $"invalid depends_on, nothing applied: {string.Join("; ", problems)}");
        }

        var order = DomainGraph.ApplyOrder(dependencies, preference is null ? null : i => preference(resources[i]));
        return new ResourceGraph([.. order.Select(i => resources[i])], null);
    }
}
