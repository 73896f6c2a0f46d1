namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>One thing a driver applied for a resource and recorded in its inventory: what pruning may remove.</summary>
internal interface IInventoryEntry
{
    /// <summary>The resource id that applied it.</summary>
    string Id { get; }

    /// <summary>
    /// The ids it depended on when last applied: while it is on the target, what it depends on is not removed, even after
    /// the desired set stopped naming either. Empty where a removal cannot break anything (files).
    /// </summary>
    IEnumerable<string> DependsOn { get; }
}
