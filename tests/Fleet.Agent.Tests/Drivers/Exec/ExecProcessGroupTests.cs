using System.Globalization;
using Fleet.Agent.Drivers.Exec;
using Fleet.Protocol.Agent.V1;
using static Fleet.Tests.Shared.Eventually;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>
/// Commands run in a process group of their own: a timeout kills the whole group (also what left the tree), and an
/// agent restarted while a run of its predecessor is still alive does not start the same resource a second time.
/// </summary>
public sealed class ExecProcessGroupTests() : ExecDriverTestBase(NoDelay(0))
{
    [Fact]
    public async Task ConvergeAsync_TimeoutWithAProcessThatLeftTheTree_KillsItWithTheGroup()
    {
        // The subshell starts sleep and exits: sleep is re-parented to init, out of the process tree, still in the group.
        var script = $"(sleep 600 & echo $! > '{Out("orphan.pid")}'); echo started; sleep 600";
        var converge = NewDriver().ConvergeAsync(ExecDesired.Capability("job", 1, ExecDesired.Sh("hang", script, timeoutSeconds: 5)), Ct);
        await Holds(() => File.Exists(Out("orphan.pid")) && File.ReadAllText(Out("orphan.pid")).Trim().Length > 0, "the orphan to write its pid");
        var orphan = int.Parse(File.ReadAllText(Out("orphan.pid")).Trim(), CultureInfo.InvariantCulture);

        Time.Advance(TimeSpan.FromSeconds(5));
        var report = await converge;

        Assert.Equal(ResourceState.Failed, report.State);
        await Holds(() => !IsAlive(orphan), "the orphan to be killed with its group");
    }

    [Fact]
    public async Task ConvergeAsync_AfterARestartWhileThePreviousRunIsAlive_DoesNotStartItAgain()
    {
        var release = Out("release");
        // Bounded (a minute), so that a failing test leaves no process behind.
        var script = $"echo run >> '{Out("runs")}'; i=0; while [ ! -f '{release}' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done";
        var desired = ExecDesired.Capability("job", 1, ExecDesired.Sh("long", script));

        // The first agent's run is under way (and recorded) when the agent is "restarted": a second driver on the
        // same state directory, as after a kill -9, whose predecessor's command is still running.
        var first = NewDriver().ConvergeAsync(desired, Ct);
        await Holds(() => Lines("runs").Length == 1 && RunPid("job") is not null, "the first run to start and its pid to be saved");
        var second = NewDriver().ConvergeAsync(desired, Ct);
        await Holds(() => second.IsCompleted || Lines("runs").Length > 1, "the restarted converge to finish or run again");

        Assert.True(second.IsCompleted, "the restarted agent started the command while its previous run was alive");
        var waiting = await second;
        Assert.Equal(ResourceState.Applying, waiting.State);
        Assert.StartsWith($"waiting: the previous run (pid {RunPid("job")}", Assert.Single(waiting.Resources).Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(release, "", Ct);
        Assert.Equal(ResourceState.Ready, (await first).State);
        Assert.Equal(ResourceState.Ready, (await NewDriver().ConvergeAsync(desired, Ct)).State);
        Assert.Single(Lines("runs"));
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}
