using Fleet.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>Reconnect backoff and failover, on a fake clock.</summary>
public sealed class ReconnectLoopTests
{
    private static readonly Uri[] Hubs = [new("http://hub-a:7400"), new("http://hub-b:7400")];
    private readonly TimerCountingClock _time = new();
    private readonly List<(Uri Hub, DateTimeOffset At)> _attempts = [];
    private readonly Lock _gate = new();

    [Fact]
    public void Ceiling_DoublesPerRoundOfHubsUpToTheCap()
    {
        Assert.Equal(
            [0.5, 0.5, 1, 1, 2, 2, 4, 4, 8, 8, 16, 16, 30, 30, 30],
            Enumerable.Range(0, 15).Select(a => ReconnectBackoff.Ceiling(a, hubs: 2).TotalSeconds));
        Assert.Equal(30, ReconnectBackoff.Ceiling(10_000, hubs: 1).TotalSeconds);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.999)]
    public void Delay_IsFullJitterOverTheWholeWindow(double draw) =>
        Assert.Equal(ReconnectBackoff.Ceiling(5, 2) * draw, ReconnectBackoff.Delay(5, 2, new FixedRandom(draw)));

    [Fact]
    public async Task RunAsync_HubsDown_AlternatesBetweenHubsWaitingTheJitteredBackoffOnTheClock()
    {
        using var stop = new CancellationTokenSource();
        var loop = new ReconnectLoop(Hubs, Fail, () => false, _time, new FixedRandom(0.5), NullLogger.Instance);
        var run = loop.RunAsync(stop.Token);
        var start = _time.GetUtcNow();

        var expected = new List<(Uri, DateTimeOffset)> { (Hubs[0], start) };
        var at = start;
        for (var attempt = 0; attempt < 14; attempt++)
        {
            await WaitForAttempts(attempt + 1);
            await WaitForTimers(attempt + 1);
            var pause = ReconnectBackoff.Ceiling(attempt, Hubs.Length) * 0.5;
            _time.Advance(pause);
            at += pause;
            expected.Add((Hubs[(attempt + 1) % 2], at));
        }

        await WaitForAttempts(15);
        await stop.CancelAsync();
        await run;
        lock (_gate)
        {
            Assert.Equal(expected, _attempts);
        }

        Assert.Equal(TimeSpan.FromSeconds(15), _attempts[^1].At - _attempts[^2].At);
    }

    [Fact]
    public async Task RunAsync_EstablishedStreamDrops_StartsOverFromTheBaseDelayOnTheOtherHub()
    {
        using var stop = new CancellationTokenSource();
        var established = false;
        var loop = new ReconnectLoop(
            Hubs,
            async (hub, token) =>
            {
                Record(hub);
                if (_attempts.Count == 5)
                {
                    established = true;
                }

                await Task.Yield();
                throw new IOException("down");
            },
            () => established,
            _time,
            new FixedRandom(1.0 - 1e-9),
            NullLogger.Instance);
        var run = loop.RunAsync(stop.Token);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await WaitForAttempts(attempt + 1);
            await WaitForTimers(attempt + 1);
            _time.Advance(ReconnectBackoff.Ceiling(attempt, 2));
        }

        await WaitForAttempts(5);
        await WaitForTimers(5);
        established = false;
        _time.Advance(ReconnectBackoff.Base);
        await WaitForAttempts(6);
        await WaitForTimers(6);
        _time.Advance(ReconnectBackoff.Base);
        await WaitForAttempts(7);

        await stop.CancelAsync();
        await run;
        Assert.Equal(Hubs[1], _attempts[5].Hub);
        Assert.True(_attempts[6].At - _attempts[5].At <= ReconnectBackoff.Base);
    }

    private Task Fail(Uri hub, CancellationToken cancellationToken)
    {
        Record(hub);
        return Task.FromException(new IOException("connection refused"));
    }

    private void Record(Uri hub)
    {
        lock (_gate)
        {
            _attempts.Add((hub, _time.GetUtcNow()));
        }
    }

    private async Task WaitForAttempts(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            lock (_gate)
            {
                if (_attempts.Count >= count)
                {
                    Assert.Equal(count, _attempts.Count);
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"attempt {count} never came");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private async Task WaitForTimers(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref _time.Timers) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"timer {count} never started");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A fake clock that counts the timers started on it, so a test advances only once the pause is waiting.</summary>
    private sealed class TimerCountingClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero))
    {
        public int Timers;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref Timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
