using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Dependencies;

/// <summary>
/// The resources of one desired capability in an order they may be applied in: each after every resource its
/// <c>depends_on</c> names, otherwise as the hub sent them (already dependencies first), with a driver's own
/// preference (namespaces and CRDs first) only where the dependencies leave a choice. The wire is not trusted: an
/// unknown id or a cycle is an error for the whole capability, because no order could then guarantee that a resource
/// is applied only after what it reads.
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
        var dependents = new List<int>[resources.Count];
        var pending = new int[resources.Count];
        for (var i = 0; i < resources.Count; i++)
        {
            dependents[i] = [];
        }

        for (var i = 0; i < resources.Count; i++)
        {
            foreach (var dependency in resources[i].DependsOn.Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(dependency, out var from))
                {
                    problems.Add($"{Display(resources[i].Id)} depends on unknown resource \"{dependency}\"");
                }
                else if (from == i)
                {
                    problems.Add($"dependency cycle: {Display(resources[i].Id)} depends on itself");
                }
                else
                {
                    dependents[from].Add(i);
                    pending[i]++;
                }
            }
        }

        // First by sent order alone, which finds cycles; then again with preferences, which the first order lets
        // pass down to dependencies: a resource that a preferred one needs is as preferred (a namespace's
        // prerequisite goes ahead of everything that merely lives in the namespace).
        var order = Sort(dependents, (int[])pending.Clone(), _ => 0);
        if (order.Count == resources.Count && preference is not null)
        {
            var effective = new int[resources.Count];
            for (var k = order.Count - 1; k >= 0; k--)
            {
                var i = order[k];
                effective[i] = dependents[i].Aggregate(preference(resources[i]), (least, dependent) => Math.Min(least, effective[dependent]));
            }

            order = Sort(dependents, (int[])pending.Clone(), i => effective[i]);
        }

        if (order.Count < resources.Count)
        {
            var unplaced = (int[])pending.Clone();
            foreach (var i in order)
            {
                unplaced[i] = 0;
            }

            problems.Add($"dependency cycle: {string.Join(" → ", Cycle(resources, index, unplaced))}");
        }

        // Every problem at once, as fleet apply reports them: whoever fixes the capability should not need two rounds.
        return problems.Count == 0
            ? new ResourceGraph([.. order.Select(i => resources[i])], null)
            : new ResourceGraph([], $"invalid depends_on, nothing applied: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// Kahn's algorithm over positions: among the resources whose dependencies are all placed, the one of lowest
    /// <paramref name="rank"/> goes next, ties in sent order. Returns fewer positions than there are resources when
    /// some are in a cycle.
    /// </summary>
    private static List<int> Sort(List<int>[] dependents, int[] pending, Func<int, int> rank)
    {
        var free = new PriorityQueue<int, (int Rank, int Position)>();
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] == 0)
            {
                free.Enqueue(i, (rank(i), i));
            }
        }

        var order = new List<int>(pending.Length);
        while (free.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var dependent in dependents[next])
            {
                if (--pending[dependent] == 0)
                {
                    free.Enqueue(dependent, (rank(dependent), dependent));
                }
            }
        }

        return order;
    }

    /// <summary>One cycle among the resources Kahn's algorithm could not place, as ids from a resource back to itself.</summary>
    private static List<string> Cycle(IReadOnlyList<Resource> resources, Dictionary<string, int> index, int[] pending)
    {
        // Every unplaced resource waits on at least one unplaced dependency, so following any of them must come
        // back to a resource already on the path: that repetition is the cycle.
        var path = new List<int>();
        var onPath = new Dictionary<int, int>();
        var current = Array.FindIndex(pending, p => p > 0);
        while (!onPath.ContainsKey(current))
        {
            onPath[current] = path.Count;
            path.Add(current);
            var from = current;
            current = resources[from].DependsOn
                .Where(index.ContainsKey)
                .Select(id => index[id])
                .First(dependency => dependency != from && pending[dependency] > 0);
        }

        return [.. path.Skip(onPath[current]).Append(current).Select(i => Display(resources[i].Id))];
    }

    private static string Display(string id) => id.Length == 0 ? "(no id)" : id;
}
