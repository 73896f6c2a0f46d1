namespace Fleet.Domain.Model;

/// <summary>A maintenance window: target updates start only within <see cref="DurationMinutes"/> after each cron occurrence.</summary>
public sealed record WindowSpec
{
    /// <summary>A five-field cron expression, e.g. <c>0 2 * * *</c>.</summary>
    public required string Schedule { get; init; }

    public int DurationMinutes { get; init; }

    /// <summary>An IANA time zone id; the schedule is read in this zone (daylight saving included).</summary>
    public string TimeZone { get; init; } = "UTC";
}
