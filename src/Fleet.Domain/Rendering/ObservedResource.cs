namespace Fleet.Domain.Rendering;

/// <summary>
/// What a target's agent last reported for one resource: the hash it applied, whether it is Ready, and the object as the
/// driver observes it (a CEL value: maps, lists, strings, numbers), which <c>${resources.&lt;id&gt;...}</c> reads.
/// </summary>
public sealed record ObservedResource(string Hash, bool Ready, object? Value);
