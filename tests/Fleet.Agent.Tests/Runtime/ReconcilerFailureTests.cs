using Fleet.Agent.Drivers;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// The reconcile loop when a pass throws: it says so (Failed, with the reason) and retries with backoff on the fake
/// clock, instead of ending while the hub session goes on heartbeating.
/// </summary>
public sealed class ReconcilerFailureTests : ReconcilerTestBase
{
    // The loop's own timer is the resync's; a retry arms the next one.
    private const int ResyncTimer = 1;

    private ThrowingDriver _driver = new(ThrowingDriver.Always);

    private protected override ITargetDriver NewDriver() => _driver;

    [Fact]
    public async Task SetDesired_DriverThrowsOnEveryPass_PublishesEachCapabilityFailedWithTheReason()
    {
        var reconciler = Start();

        reconciler.SetDesired(Desired(("motd", 3), ("ntp", 1)));
        var first = await NextReport(reconciler);
        var second = await NextReport(reconciler);

        Assert.Equal(("motd", 3L, "h-motd-3", ResourceState.Failed), (first.Key, first.Revision, first.Hash, first.State));
        Assert.Equal(("ntp", 1L, ResourceState.Failed), (second.Key, second.Revision, second.State));
        Assert.All([first, second], r => Assert.Equal($"agent error: {ThrowingDriver.Reason}", r.Message));
        Assert.All(reconciler.Current, r => Assert.Equal(ResourceState.Failed, r.State));
    }

    [Fact]
    public async Task RunAsync_PassThrowsOnceThenSucceeds_RetriesAfterTheBackoffAndReportsReady()
    {
        _driver = new ThrowingDriver(failures: 1);
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1)));
        Assert.Equal(ResourceState.Failed, (await NextReport(reconciler)).State);

        await Time.WaitForTimers(ResyncTimer + 1);
        Time.Advance(Reconciler.RetryDelay(1, Resync));
        var recovered = await NextReport(reconciler);

        Assert.Equal(("motd", ResourceState.Ready, ""), (recovered.Key, recovered.State, recovered.Message));
        Assert.Equal(2, _driver.Converges);
    }

    [Fact]
    public async Task RunAsync_DriverKeepsThrowing_RetriesAfterEachGrowingPauseWithoutRepeatingTheReport()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1)));
        Assert.Equal(ResourceState.Failed, (await NextReport(reconciler)).State);

        for (var failed = 1; failed <= 5; failed++)
        {
            // Exactly the pause for this many failures in a row brings the next pass: a longer one would never fire.
            await Time.WaitForTimers(ResyncTimer + failed);
            Time.Advance(Reconciler.RetryDelay(failed, Resync));
            await Eventually.Holds(() => _driver.Converges == failed + 1, $"retry {failed}");
        }

        // The retry after the last pass is armed only once that pass has published what it had to.
        await Time.WaitForTimers(ResyncTimer + 6);
        Assert.Equal(0, reconciler.Outbox.Count);
    }

    [Fact]
    public async Task SetDesired_RemovalThrows_PublishesTheCapabilityFailedAndNotRemoved()
    {
        _driver = new ThrowingDriver(failures: 0, removalThrows: true);
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 2)));
        Assert.Equal(ResourceState.Ready, (await NextReport(reconciler)).State);

        reconciler.SetDesired(Desired());
        var report = await NextReport(reconciler);

        Assert.Equal(("motd", 2L, ResourceState.Failed, false), (report.Key, report.Revision, report.State, report.Removed));
        Assert.Equal($"agent error: {ThrowingDriver.Reason}", report.Message);
    }

    [Fact]
    public void RetryDelay_DoublesFromTheReconnectBaseAndNeverExceedsTheResync()
    {
        Assert.Equal(
            [0.5, 1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 8).Select(n => Reconciler.RetryDelay(n, TimeSpan.FromSeconds(60)).TotalSeconds));
        Assert.Equal(5, Reconciler.RetryDelay(100, TimeSpan.FromSeconds(5)).TotalSeconds);
    }

    private static DesiredSet Desired(params (string Key, long Revision)[] capabilities)
    {
        var desired = new DesiredSet { Hash = string.Join("|", capabilities.Select(c => $"{c.Key}@{c.Revision}")) };
        foreach (var (key, revision) in capabilities)
        {
            desired.Capabilities.Add(new DesiredCapability { Key = key, Capability = key, Revision = revision, Hash = $"h-{key}-{revision}" });
        }

        return desired;
    }
}
