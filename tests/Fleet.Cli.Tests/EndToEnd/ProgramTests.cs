using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>fleet</c> program itself, as a process: its exit codes (SPEC §1), an apply and a get against a hub
/// process, and the demo. Every other CLI test runs the commands in process.
/// </summary>
public sealed class ProgramTests : IAsyncDisposable
{
    private readonly LocalFleet _fleet = new("fleet-program-");

    [Fact]
    public async Task Program_Success_ExitsZeroWithTheResultOnStdout()
    {
        var (exit, stdout, stderr) = await Programs.Fleet("eval", "1 + 2");

        Assert.Equal((0, "3\n", ""), (exit, stdout, stderr));
    }

    [Fact]
    public async Task Program_HubUnreachable_ExitsOneWithAnError()
    {
        var (exit, _, err) = await Programs.Fleet("--hub", $"http://127.0.0.1:{Programs.FreePort()}", "get", "targets");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: cannot reach the hub", err);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("get", "targets", "-o", "xml")]
    [InlineData("apply", "-f", "/nonexistent/capability.yaml")]
    public async Task Program_InvalidUsage_ExitsTwo(params string[] args)
    {
        var (exit, _, err) = await Programs.Fleet(["--hub", $"http://127.0.0.1:{Programs.FreePort()}", .. args]);

        Assert.Equal(2, exit);
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public async Task Program_ApplyThenGet_AgainstAHubProcess()
    {
        _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        var file = await _fleet.Write("hello.yaml", HelloCapability.Yaml("1"));

        var applied = await _fleet.CliProcess("apply", "-f", file);
        var got = await _fleet.CliProcess("get", "capabilities", "hello", "-o", "json");

        Assert.True(applied.Exit == 0, $"apply exited {applied.Exit}: {applied.Err}");
        Assert.Contains("capability/hello revision 1 created", applied.Out);
        Assert.Equal(0, got.Exit);
        Assert.Equal(1, JsonDocument.Parse(got.Out).RootElement.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Demo_EmbeddedFleet_RollsOutAndPatchesAndExitsZero()
    {
        var (exit, stdout, stderr) = await Programs.Fleet("demo", "--agents", "3");

        Assert.True(exit == 0, $"demo exited {exit}: {stderr}\n{stdout}");
        Assert.Contains("demo complete", stdout);
        Assert.Contains("motd 1.1.0, revision 2: patched", stdout);
    }

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();
}
