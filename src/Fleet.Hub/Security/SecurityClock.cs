namespace Fleet.Hub.Security;

/// <summary>
/// The clock of every security decision (token expiry, certificate validity, renewal). It is its own
/// service, not the hub's <see cref="TimeProvider"/>, so tests can move it past an expiry with a fake
/// clock without also moving the silo's timers and reminders.
/// </summary>
internal sealed class SecurityClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}
