using Fleet.Hub.Hosting.Health;
using Fleet.Hub.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>Readiness on a fake clock: bounded, cached briefly, and the reason in one line.</summary>
public sealed class ReadinessCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task CheckAsync_ProbesWithinTheCacheWindow_AskStorageOnce()
    {
        var probe = new GatedProbe();
        var check = new ReadinessCheck(() => SiloStatus.Active, probe, _time);

        var first = await check.CheckAsync();
        _time.Advance(ReadinessCheck.CacheFor - TimeSpan.FromMilliseconds(1));
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => check.CheckAsync()));

        Assert.Equal((true, "ready"), (first.Ready, first.Reason));
        Assert.All(answers, answer => Assert.Same(first, answer));
        Assert.Equal(1, probe.Calls);
    }

    [Fact]
    public async Task CheckAsync_AfterTheCacheWindow_AsksStorageAgain()
    {
        var probe = new GatedProbe();
        var check = new ReadinessCheck(() => SiloStatus.Active, probe, _time);

        await check.CheckAsync();
        _time.Advance(ReadinessCheck.CacheFor);
        await check.CheckAsync();

        Assert.Equal(2, probe.Calls);
    }

    [Fact]
    public async Task CheckAsync_StorageNeverAnswers_NotReadyWhenTheTimeoutPasses()
    {
        var probe = new GatedProbe(answers: false);
        var check = new ReadinessCheck(() => SiloStatus.Active, probe, _time);

        var pending = check.CheckAsync();
        await probe.Entered;
        var waiting = check.CheckAsync();
        _time.Advance(ReadinessCheck.Timeout);
        var answer = await pending;

        Assert.Equal((false, "storage unavailable: no answer within 2 s"), (answer.Ready, answer.Reason));
        Assert.Same(answer, await waiting);
        Assert.Equal(1, probe.Calls);
    }

    [Theory]
    [InlineData(SiloStatus.Created)]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Dead)]
    public async Task CheckAsync_SiloNotActive_NotReadyWithItsStatusAndStorageNotAsked(SiloStatus status)
    {
        var probe = new GatedProbe();
        var check = new ReadinessCheck(() => status, probe, _time);

        var answer = await check.CheckAsync();

        Assert.Equal((false, $"silo not active: {status}"), (answer.Ready, answer.Reason));
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public async Task CheckAsync_PostgresRefusesConnections_NotReadyWithTheCauseAndNoSecret()
    {
        // A real Npgsql failure: nothing listens on this port.
        var port = LoopbackPorts.Take();
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Username=fleet;Password=hunter2-secret;Database=fleet;Timeout=5");
        var check = new ReadinessCheck(() => SiloStatus.Active, new PostgresStorageProbe(database), TimeProvider.System);

        var answer = await check.CheckAsync();

        Assert.False(answer.Ready);
        Assert.StartsWith($"storage unavailable: Failed to connect to 127.0.0.1:{port}", answer.Reason, StringComparison.Ordinal);
        Assert.Contains("refused", answer.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", answer.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', answer.Reason);
    }

    [Fact]
    public async Task CheckAsync_SqliteDatabase_Ready()
    {
        using var directory = new Storage.TempDirectory();
        await using var database = new SqliteDatabase(directory.Path);
        var check = new ReadinessCheck(() => SiloStatus.Active, new SqliteStorageProbe(database), _time);

        var answer = await check.CheckAsync();

        Assert.Equal((true, "ready"), (answer.Ready, answer.Reason));
    }
}
