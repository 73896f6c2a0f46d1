using Cronos;
using Fleet.Domain.Model;

namespace Fleet.Domain.Rollouts;

/// <summary>
/// A window opens at every occurrence of its cron schedule, in its time zone, and stays open for its
/// duration. Target updates start only while it is open; updates already running finish regardless.
/// </summary>
public sealed class MaintenanceWindow
{
    private readonly CronExpression _schedule;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _duration;

    private MaintenanceWindow(CronExpression schedule, TimeZoneInfo zone, TimeSpan duration)
    {
        _schedule = schedule;
        _zone = zone;
        _duration = duration;
    }

    public const int MaxDurationMinutes = 7 * 24 * 60;

    /// <summary>Parses a window; the error says what is wrong (for validation at apply time).</summary>
    public static MaintenanceWindow? TryCreate(WindowSpec spec, out string? error)
    {
        error = null;
        CronExpression schedule;
        try
        {
            schedule = CronExpression.Parse(spec.Schedule, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = $"schedule '{spec.Schedule}' is not a five-field cron expression: {e.Message}";
            return null;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(spec.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"time zone '{spec.TimeZone}' is not known on this machine (use an IANA id such as UTC or Europe/Berlin)";
            return null;
        }

        if (spec.DurationMinutes is < 1 or > MaxDurationMinutes)
        {
            error = $"durationMinutes must be from 1 to {MaxDurationMinutes}, not {spec.DurationMinutes}";
            return null;
        }

        return new MaintenanceWindow(schedule, zone, TimeSpan.FromMinutes(spec.DurationMinutes));
    }

    public static MaintenanceWindow Create(WindowSpec spec) =>
        TryCreate(spec, out var error) ?? throw new ArgumentException(error, nameof(spec));

    public bool IsOpen(DateTimeOffset now) => OpenedAt(now) is not null;

    /// <summary>The start of the window that contains <paramref name="now"/>, if one does.</summary>
    public DateTimeOffset? OpenedAt(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return _schedule.GetOccurrences(utc - _duration, utc, _zone, fromInclusive: false, toInclusive: true)
            .Select(o => (DateTimeOffset?)new DateTimeOffset(o, TimeSpan.Zero))
            .LastOrDefault();
    }

    /// <summary>When the next window opens after <paramref name="now"/> (null if the schedule never fires again).</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now) =>
        _schedule.GetNextOccurrence(now.UtcDateTime, _zone) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>When the window containing <paramref name="now"/> closes (null when closed now).</summary>
    public DateTimeOffset? ClosesAt(DateTimeOffset now) => OpenedAt(now) + _duration;
}
