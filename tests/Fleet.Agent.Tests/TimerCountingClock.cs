using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests;

/// <summary>
/// A fake clock that counts the timers started on it, so that a test moves the clock only once the pause it means to
/// end is waiting on it. A timer counts only once the fake clock has registered it: a test that advanced between the
/// count and the registration would move the clock before the timer's due time was fixed, and the timer would then
/// wait a whole pause more that nobody advances (the loop under test runs on another thread).
/// </summary>
internal sealed class TimerCountingClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero))
{
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }

    /// <summary>Returns once <paramref name="count"/> timers in all have been started on this clock.</summary>
    public Task WaitForTimers(int count) => Eventually.Holds(() => Timers >= count, $"timer {count} to start");
}
