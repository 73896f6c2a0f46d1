using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Tests.Shared.Eventually;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// The whole agent (reconcile loop, hub session, reconnect loop) against a stand-in hub over real loopback gRPC, with a
/// driver that throws: the hub must hear of it, and an agent that can no longer reconcile must stop rather than keep
/// heartbeating as if healthy.
/// </summary>
public sealed class AgentRuntimeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TimerCountingClock _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_DriverThrowsOnEveryPass_TheHubSeesTheCapabilityFailedWithTheReasonAndTheAgentGoesOn()
    {
        await using var hub = await FakeHub.StartAsync(Desired("motd", 4));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = Runtime(hub).RunAsync(stop.Token);

        // The fake clock never reaches a resync: the report comes from the first pass, the one the desired set started.
        await Holds(() => hub.Reports.Any(r => r.Key == "motd" && r.State == ResourceState.Failed), "the hub to hear motd Failed");

        var report = hub.Reports.Single(r => r.Key == "motd");
        Assert.Equal((4L, $"agent error: {ThrowingDriver.Reason}"), (report.Revision, report.Message));
        Assert.False(run.IsCompleted);
        Assert.Equal(0, hub.EndedStreams);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_ReconcileLoopCannotGoOn_ThrowsAndEndsTheHubSession()
    {
        // Reports cannot be recorded (a directory where the outbox file goes): a failed pass cannot even be told.
        Directory.CreateDirectory(Path.Combine(_dir.State, ReportOutbox.FileName));
        await using var hub = await FakeHub.StartAsync(Desired("motd", 1));
        var run = Runtime(hub).RunAsync(TestContext.Current.CancellationToken);

        await Holds(() => run.IsCompleted, "the agent to stop");

        var failure = await Assert.ThrowsAsync<AgentLoopException>(() => run);
        Assert.Equal("reconcile", failure.Loop);
        Assert.IsAssignableFrom<IOException>(failure.InnerException);
        await Holds(() => hub.EndedStreams == hub.OpenedStreams, "the hub stream to end");
        Assert.Equal(1, hub.OpenedStreams);
    }

    private AgentRuntime Runtime(FakeHub hub) => new(
        new AgentOptions { Hubs = [hub.Address], Name = "t1", Driver = "throwing", StateDirectory = _dir.State, Insecure = true },
        new ThrowingDriver(ThrowingDriver.Always),
        NullLoggerFactory.Instance,
        _time);

    private static DesiredSet Desired(string key, long revision) => new()
    {
        Hash = $"{key}@{revision}",
        Capabilities = { new DesiredCapability { Key = key, Capability = key, Revision = revision, Hash = $"h-{key}-{revision}" } },
    };
}
