namespace Fleet.Agent.Drivers.Dependencies;

/// <summary>
/// Removal runs dependents first: drivers keep what they applied in <see cref="ResourceGraph.Order"/> and walk it
/// backwards. That alone is not enough when a dependent's removal fails (an exec <c>delete</c> that exits non-zero, an
/// API server that refuses): the dependent is still there and may still use what it depends on, so that stays too,
/// until a later pass has removed the dependent.
/// </summary>
internal static class RemovalOrder
{
    /// <summary>
    /// A resource among <paramref name="remaining"/> (still on the target, by the driver's record) other than
    /// <paramref name="id"/> itself that depends on it, or null when nothing does and it may be removed.
    /// </summary>
    public static string? Dependent(string id, IEnumerable<(string Id, IEnumerable<string> DependsOn)> remaining) =>
        remaining.FirstOrDefault(r => r.Id != id && r.DependsOn.Contains(id, StringComparer.Ordinal)).Id;

    /// <summary>Puts <paramref name="items"/> in the order of <paramref name="graph"/>; items of ids it lacks go last, in their order.</summary>
    public static List<T> LikeGraph<T>(IEnumerable<T> items, Func<T, string> id, ResourceGraph graph)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Order.Count; i++)
        {
            position.TryAdd(graph.Order[i].Id, i);
        }

        // Last is right for what the graph no longer has: those are dropped resources, removed first (walking
        // backwards), and nothing the capability now wants depends on them (a held resource still running by an
        // older revision might: Dependent keeps them for it).
        return [.. items.OrderBy(item => position.GetValueOrDefault(id(item), int.MaxValue))];
    }
}
