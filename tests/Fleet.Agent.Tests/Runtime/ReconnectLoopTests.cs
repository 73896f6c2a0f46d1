using Fleet.Agent.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Tests.Shared.Eventually;

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
                if (Attempts == 5)
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

    private int Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.Count;
            }
        }
    }

    private async Task WaitForAttempts(int count)
    {
        await Holds(() => Attempts >= count, $"attempt {count}");
        Assert.Equal(count, Attempts);
    }

    private Task WaitForTimers(int count) => _time.WaitForTimers(count);

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
