using Fleet.Agent.Drivers.Exec;
using Fleet.Protocol.Agent.V1;
using static Fleet.Tests.Shared.Eventually;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>The exec driver with real /bin/sh processes in a temp directory.</summary>
// Real /bin/sh processes and /proc: the exec driver targets Unix.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecDriverTests() : ExecDriverTestBase(NoDelay(retries: 2))
{
    private int Runs(string name) => File.Exists(Out(name)) ? File.ReadAllLines(Out(name)).Length : 0;

    private string Append(string name) => $"echo run >> '{Out(name)}'";

    [Fact]
    public async Task ConvergeAsync_SameRevisionTwiceAndAfterRestart_RunsTheCommandOnce()
    {
        var desired = ExecDesired.Capability("job", 1, ExecDesired.Sh("submit", Append("runs") + "; echo submitted"));

        var first = await NewDriver().ConvergeAsync(desired, Ct);
        var again = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal((ResourceState.Ready, ResourceState.Ready), (first.State, again.State));
        Assert.Equal(1, Runs("runs"));
        Assert.Equal("exit code 0; output: submitted", Assert.Single(again.Resources).Message);
    }

    [Fact]
    public async Task ConvergeAsync_RevisionChangesTheCommand_RunsItAgain()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("submit", Append("runs") + " # v1")), Ct);
        await driver.ConvergeAsync(ExecDesired.Capability("job", 2, ExecDesired.Sh("submit", Append("runs") + " # v1")), Ct);
        await driver.ConvergeAsync(ExecDesired.Capability("job", 3, ExecDesired.Sh("submit", Append("runs") + " # v3")), Ct);

        Assert.Equal(2, Runs("runs"));
    }

    [Fact]
    public async Task ConvergeAsync_FailsThenSucceeds_RetriesWithinTheConverge()
    {
        var script = $"{Append("attempts")}; [ $(wc -l < '{Out("attempts")}') -ge 2 ]";
        var report = await NewDriver().ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("flaky", script)), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(2, Runs("attempts"));
    }

    [Fact]
    public async Task ConvergeAsync_AlwaysFails_IsBoundedAndReportsExitCodeAndOutputThenRetriesOnTheNextPass()
    {
        var driver = NewDriver();
        var desired = ExecDesired.Capability("job", 1, ExecDesired.Sh("broken", Append("attempts") + "; echo to-out; echo to-err >&2; exit 3"));

        var report = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(3, Runs("attempts"));
        var resource = Assert.Single(report.Resources);
        Assert.StartsWith("exit code 3; output: ", resource.Message, StringComparison.Ordinal);
        Assert.Contains("to-out", resource.Message, StringComparison.Ordinal);
        Assert.Contains("to-err", resource.Message, StringComparison.Ordinal);
        Assert.Contains("broken: exit code 3", report.Message, StringComparison.Ordinal);

        await driver.ConvergeAsync(desired, Ct);
        Assert.Equal(6, Runs("attempts"));
    }

    [Fact]
    public async Task ConvergeAsync_RetryDelays_WaitOnTheClock()
    {
        var options = new ExecOptions { Retries = 1, RetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(10) };
        var converge = NewDriver(options).ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("broken", Append("attempts") + "; exit 1")), Ct);

        await Holds(() => Runs("attempts") == 1 && !converge.IsCompleted, "the first attempt to run");
        Assert.False(converge.IsCompleted);
        while (!converge.IsCompleted)
        {
            // Jitter puts the pause anywhere up to the delay; nothing runs until the clock gets there.
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, Ct);
        }

        Assert.Equal(ResourceState.Failed, (await converge).State);
        Assert.Equal(2, Runs("attempts"));
    }

    [Fact]
    public async Task ConvergeAsync_HangingCommand_IsKilledWithItsChildrenAtTheTimeoutAndReportedFailed()
    {
        var script = $"echo started; sleep 600 & echo $! > '{Out("child.pid")}'; wait";
        var converge = NewDriver().ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("hang", script, timeoutSeconds: 5)), Ct);
        await Holds(() => File.Exists(Out("child.pid")) && File.ReadAllText(Out("child.pid")).Trim().Length > 0, "the child to write its pid");
        var child = int.Parse(File.ReadAllText(Out("child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Time.Advance(TimeSpan.FromSeconds(5));
        var report = await converge;

        Assert.Equal(ResourceState.Failed, report.State);
        var message = Assert.Single(report.Resources).Message;
        Assert.StartsWith("timed out after 5s and was killed with its child processes; output: started", message, StringComparison.Ordinal);
        await Holds(() => !IsAlive(child), "the child to be killed");
    }

    [Fact]
    public async Task ConvergeAsync_EnvAndStdinAndFleetVariables_ReachTheCommand()
    {
        var resource = ExecDesired.Sh("env", "read line; echo \"$line $GREETING $FLEET_CAPABILITY $FLEET_REVISION $FLEET_RESOURCE $FLEET_ACTION\"", stdin: "from-stdin\n", env: ("GREETING", "hi"));
        var report = await NewDriver().ConvergeAsync(ExecDesired.Capability("job", 7, resource), Ct);

        Assert.Equal("exit code 0; output: from-stdin hi job 7 env apply", Assert.Single(report.Resources).Message);
    }

    [Fact]
    public async Task ConvergeAsync_ProgramMissing_FailsSayingItCouldNotStart()
    {
        var resource = ExecDesired.Sh("x", "true");
        resource.Exec.Command[0] = Path.Combine(Dir.Path, "no-such-program");
        var report = await NewDriver().ConvergeAsync(ExecDesired.Capability("job", 1, resource), Ct);

        Assert.StartsWith("could not start: ", Assert.Single(report.Resources).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetectDriftAsync_CheckFails_ReportsDriftedAndTheNextConvergeRunsTheCommandAgain()
    {
        var marker = Out("marker");
        var driver = NewDriver();
        var desired = ExecDesired.Capability("job", 1, ExecDesired.Sh("make", $"{Append("runs")}; touch '{marker}'", check: $"test -f '{marker}'"));
        await driver.ConvergeAsync(desired, Ct);
        Assert.Null(await driver.DetectDriftAsync(desired, Ct));

        File.Delete(marker);
        var drift = await driver.DetectDriftAsync(desired, Ct);
        var report = await driver.ConvergeAsync(desired, Ct);

        Assert.NotNull(drift);
        Assert.Equal(ResourceState.Drifted, drift.State);
        Assert.Equal("check exit code 1", Assert.Single(drift.Resources).Message);
        Assert.Equal("drifted: make: check exit code 1", drift.Message);
        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(2, Runs("runs"));
        Assert.True(File.Exists(marker));
        Assert.Null(await driver.DetectDriftAsync(desired, Ct));
    }

    [Fact]
    public async Task ConvergeAsync_ResourceDropped_RunsItsDeleteEvenAfterRestart()
    {
        var withBoth = ExecDesired.Capability("job", 1, ExecDesired.Sh("keep", "true"), ExecDesired.Sh("gone", "true", delete: $"echo \"$FLEET_ACTION $TOKEN\" > '{Out("deleted")}'", env: ("TOKEN", "t1")));
        await NewDriver().ConvergeAsync(withBoth, Ct);

        var report = await NewDriver().ConvergeAsync(ExecDesired.Capability("job", 2, ExecDesired.Sh("keep", "true")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal("delete t1", File.ReadAllText(Out("deleted")).Trim());
    }

    [Fact]
    public async Task RemoveAsync_RunsDeletesNewestFirstAndForgetsTheKey()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(ExecDesired.Capability("job", 1,
            ExecDesired.Sh("a", "true", delete: $"echo a >> '{Out("order")}'"),
            ExecDesired.Sh("b", "true", delete: $"echo b >> '{Out("order")}'")), Ct);

        var report = await driver.RemoveAsync("job", Ct);

        Assert.True(report.Removed);
        Assert.Equal(["b", "a"], File.ReadAllLines(Out("order")));
        Assert.Empty(NewDriver().OwnedCapabilities);
    }

    [Fact]
    public async Task RemoveAsync_DeleteFails_KeepsTheKeyToRetry()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("a", "true", delete: "echo nope; exit 4")), Ct);

        var report = await driver.RemoveAsync("job", Ct);

        Assert.False(report.Removed);
        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("a: delete exit code 4; output: nope", report.Message, StringComparison.Ordinal);
        Assert.Equal(["job"], NewDriver().OwnedCapabilities);
    }

    [Fact]
    public async Task ConvergeAsync_DesiredError_RunsNothing()
    {
        var desired = ExecDesired.Capability("job", 1, ExecDesired.Sh("a", Append("runs")));
        desired.Error = "template failed";

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(0, Runs("runs"));
    }

    [Fact]
    public async Task ConvergeAsync_FileResource_FailsNamingTheKind()
    {
        var desired = ExecDesired.Capability("job", 1, new Resource { Id = "f", Hash = "h", File = new FileResource { Path = "a" } });
        var report = await NewDriver().ConvergeAsync(desired, Ct);
        Assert.Equal("the exec driver cannot apply resource kind file", Assert.Single(report.Resources).Message);
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}
