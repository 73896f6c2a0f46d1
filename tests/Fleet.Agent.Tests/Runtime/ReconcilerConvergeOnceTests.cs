using Fleet.Agent.Drivers;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// The reconciler's one-shot converge (fleet-agent --import) on a fake clock: it passes again at every readiness
/// re-check while something is still applying, up to its settle time, and does not wait for what only the hub can
/// move on (a resource awaiting its rendering).
/// </summary>
public sealed class ReconcilerConvergeOnceTests : ReconcilerTestBase
{
    private static readonly DesiredSet Set = new() { Hash = "d1", Capabilities = { new DesiredCapability { Key = "web", Capability = "web", Revision = 1, Hash = "h1" } } };

    private SettlingDriver _driver = new(0);

    private protected override ITargetDriver NewDriver() => _driver;

    [Fact]
    public async Task ConvergeOnceAsync_StillApplying_PassesAgainAtEachRecheckUntilReady()
    {
        _driver = new SettlingDriver(waitingConverges: 2);
        var reconciler = Create();

        var converging = reconciler.ConvergeOnceAsync(Set, TimeSpan.FromMinutes(5), Stop.Token);
        // Each waiting pass starts two timers at the re-check: the loop's wake-up and this pause.
        await Time.WaitForTimers(2);
        Time.Advance(Reconciler.ReadinessRecheck);
        await Time.WaitForTimers(4);
        Time.Advance(Reconciler.ReadinessRecheck);
        var reports = await converging;

        Assert.Equal(3, _driver.Converges);
        Assert.Equal([ResourceState.Applying, ResourceState.Ready], reports.Select(r => r.State));
        Assert.Equal(Set, new DesiredStateStore(Dir.State).Load());
    }

    [Fact]
    public async Task ConvergeOnceAsync_StillApplyingAtTheSettleTime_ReturnsWhatItHas()
    {
        _driver = new SettlingDriver(SettlingDriver.Never);
        var reconciler = Create();

        // Passes at 0s, 2s, 4s and 6s; after the one at 6s the 5s are over.
        var converging = reconciler.ConvergeOnceAsync(Set, TimeSpan.FromSeconds(5), Stop.Token);
        for (var pause = 1; pause <= 3; pause++)
        {
            await Time.WaitForTimers(2 * pause);
            Time.Advance(Reconciler.ReadinessRecheck);
        }

        var reports = await converging;

        Assert.Equal(4, _driver.Converges);
        Assert.Equal(ResourceState.Applying, Assert.Single(reports).State);
    }

    [Fact]
    public async Task ConvergeOnceAsync_OnlyAwaitingTheHub_ReturnsAfterOnePass()
    {
        _driver = new SettlingDriver(SettlingDriver.Never, ResourceState.Pending);
        var reconciler = Create();

        var reports = await reconciler.ConvergeOnceAsync(Set, TimeSpan.FromMinutes(5), Stop.Token);

        Assert.Equal(1, _driver.Converges);
        Assert.Equal(ResourceState.Pending, Assert.Single(Assert.Single(reports).Resources).State);
    }
}
