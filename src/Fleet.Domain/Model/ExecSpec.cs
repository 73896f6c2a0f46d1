namespace Fleet.Domain.Model;

/// <summary>
/// An imperative action the exec driver runs on the target (SPEC §2). <see cref="Command"/> runs once per revision it
/// belongs to; <see cref="Check"/>, when given, detects drift (non-zero: run the command again); <see cref="Delete"/>
/// runs when the resource is removed. Every string may hold <c>${...}</c>.
/// </summary>
public sealed record ExecSpec
{
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Text written to the command's standard input; null: stdin is empty.</summary>
    public string? Stdin { get; init; }

    /// <summary>Environment variables added to the agent's own.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Seconds before the command (and every process it started) is killed; null: the driver default.</summary>
    public int? TimeoutSeconds { get; init; }

    public IReadOnlyList<string>? Check { get; init; }

    public IReadOnlyList<string>? Delete { get; init; }

    // Value equality over the lists and the map, so a spec read back from storage equals the one written.
    public bool Equals(ExecSpec? other) =>
        other is not null && Command.SequenceEqual(other.Command) && Stdin == other.Stdin && TimeoutSeconds == other.TimeoutSeconds
        && Env.Count == other.Env.Count && Env.All(kv => other.Env.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && SameArgv(Check, other.Check) && SameArgv(Delete, other.Delete);

    public override int GetHashCode() => HashCode.Combine(Command.Count, Stdin, TimeoutSeconds, Env.Count);

    private static bool SameArgv(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}
