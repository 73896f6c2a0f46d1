namespace Fleet.Agent.Runtime;

/// <summary>
/// Exponential backoff with full jitter: the pause after a failed attempt is uniform in [0, min(cap, base·2^round)],
/// where a round is one try of every hub address. Full jitter spreads a fleet's reconnects over the whole window,
/// so a hub that restarts is not met by every agent at the same instant; rounds (rather than attempts) drive the
/// exponent so that failing over to the next address is quick.
/// </summary>
internal static class ReconnectBackoff
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <summary>The upper bound of the pause after failed attempt <paramref name="attempt"/> (0-based).</summary>
    public static TimeSpan Ceiling(int attempt, int hubs)
    {
        var round = Math.Min(attempt / Math.Max(1, hubs), 30);
        var ceiling = Base.TotalMilliseconds * Math.Pow(2, round);
        return TimeSpan.FromMilliseconds(Math.Min(Cap.TotalMilliseconds, ceiling));
    }

    public static TimeSpan Delay(int attempt, int hubs, Random random) => Ceiling(attempt, hubs) * random.NextDouble();
}
