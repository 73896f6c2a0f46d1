namespace Fleet.Hub.Storage;

/// <summary>Reminder settings every storage backend of the hub registers alike.</summary>
internal static class ReminderDefaults
{
    /// <summary>
    /// Orleans refuses reminder periods under one minute by default. A rollout's reminder is its
    /// watchdog (soak times, progress deadlines, window openings, and a wake-up after a restart), and
    /// at a minute per tick a short soak would overrun by up to a minute; 5 s keeps those steps on
    /// time. Reminders stay a durable backstop: target reports wake a rollout directly, so the extra
    /// ticks are cheap no-ops.
    /// </summary>
    public static readonly TimeSpan MinimumPeriod = TimeSpan.FromSeconds(5);

    public static IServiceCollection ConfigureFleetReminders(this IServiceCollection services) =>
        services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = MinimumPeriod);
}
