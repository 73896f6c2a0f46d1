using System.Text.Json.Nodes;
using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Exec;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Exec.ExecDesired;
using static Fleet.Tests.Shared.Eventually;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>What the exec driver reports as observed state (observed_json), from real /bin/sh runs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecObservedStateTests() : ExecDriverTestBase(new ExecOptions { Retries = 0 })
{
    private static JsonObject Observed(ResourceReport report) => (JsonObject)JsonNode.Parse(report.ObservedJson)!;

    [Fact]
    public async Task ConvergeAsync_CommandRan_ObservedStateIsItsExitCodeEachOutputTailAndWhenItRan()
    {
        var desired = Capability("job", 1, Sh("submit", "echo job-42; echo 'warning: slow' >&2"));

        var report = Assert.Single((await NewDriver().ConvergeAsync(desired, Ct)).Resources);

        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["exitCode"] = 0, ["stdoutTail"] = "job-42", ["stderrTail"] = "warning: slow", ["ranAt"] = "2026-11-24T08:00:00+00:00" },
            Observed(report)));
    }

    [Fact]
    public async Task ConvergeAsync_AlreadyRanAndAfterRestart_ReportsTheSameObservedStateWithoutRunningAgain()
    {
        var desired = Capability("job", 1, Sh("submit", $"echo run >> '{Path.Combine(Dir.Outside, "runs")}'; echo job-42"));
        var first = (await NewDriver().ConvergeAsync(desired, Ct)).Resources[0];
        Time.Advance(TimeSpan.FromMinutes(5));

        var again = (await NewDriver().ConvergeAsync(desired, Ct)).Resources[0];

        Assert.Single(File.ReadAllLines(Path.Combine(Dir.Outside, "runs")));
        Assert.Equal(first.ObservedJson, again.ObservedJson);
        Assert.Equal("job-42", Observed(again)["stdoutTail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConvergeAsync_CommandFailedOrTimedOut_ObservedStateSaysSo()
    {
        var driver = NewDriver();
        var failed = (await driver.ConvergeAsync(Capability("a", 1, Sh("x", "echo nope >&2; exit 3")), Ct)).Resources[0];
        var converge = driver.ConvergeAsync(Capability("b", 1, Sh("y", "echo started; exec sleep 600", timeoutSeconds: 1)), Ct);
        // Until the command has printed and become sleep (exec): only then may the timeout kill it.
        await Holds(() => RunPid("b") is { } pid && CommandLine(pid).StartsWith("sleep", StringComparison.Ordinal), "the command to be running sleep");
        while (!converge.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Ct);
        }

        var timedOut = (await converge).Resources[0];

        Assert.Equal((ResourceState.Failed, 3, "nope"), (failed.State, Observed(failed)["exitCode"]!.GetValue<int>(), Observed(failed)["stderrTail"]!.GetValue<string>()));
        Assert.Equal(ResourceState.Failed, timedOut.State);
        Assert.Null(Observed(timedOut)["exitCode"]);
        Assert.Equal("started", Observed(timedOut)["stdoutTail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConvergeAsync_CommandPrintsItsEnv_ValuesAreMaskedInObservedStateAndMessageButReachTheCommand()
    {
        var secret = "s3cr3t-t0ken-value";
        var resource = Sh("login", $"echo \"$API_TOKEN\" > '{Path.Combine(Dir.Outside, "seen")}'; echo \"token=$API_TOKEN env=$ENV\"; echo \"bad $API_TOKEN\" >&2", env: [("API_TOKEN", secret), ("ENV", "dev")]);

        var report = Assert.Single((await NewDriver().ConvergeAsync(Capability("job", 1, resource), Ct)).Resources);

        Assert.Equal(secret, File.ReadAllText(Path.Combine(Dir.Outside, "seen")).Trim());
        Assert.DoesNotContain(secret, report.ObservedJson, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(Dir.State, ExecDriver.InventoryFileName)).Replace($"\"API_TOKEN\": \"{secret}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("token=*** env=dev", Observed(report)["stdoutTail"]!.GetValue<string>());
        Assert.Equal("bad ***", Observed(report)["stderrTail"]!.GetValue<string>());
        Assert.DoesNotContain("API_TOKEN", report.ObservedJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConvergeAsync_HugeOutput_ObservedStateKeepsOnlyTheTailsWellWithinTheBound()
    {
        // 200,000 characters on each stream: only the last ProcessRunner.TailCharacters of each are kept.
        var resource = Sh("chatty", "i=0; while [ $i -lt 2000 ]; do printf '%0100d\\n' $i; printf '%0100d\\n' $i >&2; i=$((i+1)); done; echo last-line");

        var report = Assert.Single((await NewDriver().ConvergeAsync(Capability("job", 1, resource), Ct)).Resources);

        var stdout = Observed(report)["stdoutTail"]!.GetValue<string>();
        Assert.StartsWith("…", stdout, StringComparison.Ordinal);
        Assert.EndsWith("last-line", stdout, StringComparison.Ordinal);
        Assert.InRange(stdout.Length, ProcessRunner.TailCharacters - 200, ProcessRunner.TailCharacters + 1);
        Assert.InRange(report.ObservedJson.Length, 1, ObservedState.MaxBytes);
    }

}
