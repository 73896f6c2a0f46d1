namespace Fleet.Domain.Rendering;

/// <summary>
/// The dependencies between the resources of one capability (<c>resources.&lt;id&gt;</c> in a template: the reader depends
/// on the resource it reads), by index into the capability's resource list. Pure, so the YAML reader refuses cycles with
/// the same rules the renderer orders by, and the agent applies by the same order (public for it).
/// </summary>
public static class ResourceGraph
{
    /// <summary>
    /// Indexes in apply order: every resource after the resources it depends on, otherwise in the order written (so a
    /// capability without references keeps its order and its hash). Members of a cycle, which apply refuses, keep their
    /// written order after everything else rather than disappearing.
    /// </summary>
    /// <param name="dependencies">Per resource, the indexes it depends on.</param>
    /// <param name="preference">
    /// Lower goes first among resources whose dependencies are all placed (the agent's namespaces and CRDs first), ties in
    /// written order; it passes down to what a preferred resource depends on, which must go ahead of it anyway. Null: none.
    /// </param>
    public static IReadOnlyList<int> ApplyOrder(IReadOnlyList<IReadOnlyCollection<int>> dependencies, Func<int, int>? preference = null)
    {
        var order = Sort(dependencies, _ => 0);
        if (preference is null || order.Count < dependencies.Count)
        {
            return order;
        }

        // The first order lets a preference pass down: a resource is as preferred as its most preferred dependent.
        var effective = new int[dependencies.Count];
        for (var k = order.Count - 1; k >= 0; k--)
        {
            effective[order[k]] = preference(order[k]);
        }

        for (var k = order.Count - 1; k >= 0; k--)
        {
            foreach (var dependency in dependencies[order[k]])
            {
                effective[dependency] = Math.Min(effective[dependency], effective[order[k]]);
            }
        }

        return Sort(dependencies, i => effective[i]);
    }

    private static List<int> Sort(IReadOnlyList<IReadOnlyCollection<int>> dependencies, Func<int, int> rank)
    {
        var count = dependencies.Count;
        var waiting = new int[count];
        var dependents = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            dependents[i] = [];
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var dependency in dependencies[i].Distinct())
            {
                waiting[i]++;
                dependents[dependency].Add(i);
            }
        }

        var ready = new SortedSet<(int Rank, int Index)>(Enumerable.Range(0, count).Where(i => waiting[i] == 0).Select(i => (rank(i), i)));
        var order = new List<int>(count);
        while (ready.Count > 0)
        {
            var next = ready.Min.Index;
            ready.Remove(ready.Min);
            order.Add(next);
            foreach (var dependent in dependents[next])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Add((rank(dependent), dependent));
                }
            }
        }

        if (order.Count < count)
        {
            var placed = order.ToHashSet();
            order.AddRange(Enumerable.Range(0, count).Where(i => !placed.Contains(i)));
        }

        return order;
    }

    /// <summary>
    /// One cycle per group of resources that wait on each other (a strongly connected component with more than one
    /// member, or a resource that reads itself), as the indexes along the cycle starting from its lowest index and
    /// ending there again, e.g. [0, 2, 0].
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Cycles(IReadOnlyList<IReadOnlyCollection<int>> dependencies)
    {
        var count = dependencies.Count;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var next = 0;
        var cycles = new List<IReadOnlyList<int>>();

        void Connect(int v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack[v] = true;
            foreach (var w in dependencies[v])
            {
                if (index[w] < 0)
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack[w])
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] != index[v])
            {
                return;
            }

            var component = new HashSet<int>();
            int member;
            do
            {
                member = stack.Pop();
                onStack[member] = false;
                component.Add(member);
            }
            while (member != v);

            var start = component.Min();
            if (component.Count > 1 || dependencies[start].Contains(start))
            {
                cycles.Add(CycleThrough(start, component, dependencies));
            }
        }

        // At most a few hundred resources (CapabilityReader.MaxResources), so recursion depth is bounded.
        for (var v = 0; v < count; v++)
        {
            if (index[v] < 0)
            {
                Connect(v);
            }
        }

        return [.. cycles.OrderBy(c => c[0])];
    }

    /// <summary>The shortest way from <paramref name="start"/> back to itself inside its component (breadth first, lowest index first).</summary>
    private static List<int> CycleThrough(int start, HashSet<int> component, IReadOnlyList<IReadOnlyCollection<int>> dependencies)
    {
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in dependencies[v].Where(component.Contains).Order())
            {
                if (w == start)
                {
                    var path = new List<int> { start };
                    for (var at = v; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        // Unreachable for a strongly connected component; a lone resource that reads itself returns above.
        return [start, start];
    }
}
