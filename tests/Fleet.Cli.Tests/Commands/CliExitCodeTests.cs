using Fleet.Cli.Tests.EndToEnd;

namespace Fleet.Cli.Tests.Commands;

/// <summary>SPEC §1 exit codes, in process: 0 success, 1 the operation failed, 2 invalid input or usage.</summary>
public sealed class CliExitCodeTests
{
    [Fact]
    public async Task Get_HubUnreachable_ExitsOneWithAnError()
    {
        var (exit, _, err) = await InProcess.Fleet("--hub", $"http://127.0.0.1:{Programs.FreePort()}", "get", "targets");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: cannot reach the hub", err);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("get")]
    [InlineData("get", "targets", "-o", "xml")]
    [InlineData("get", "widgets")]
    [InlineData("apply")]
    public async Task Command_InvalidUsage_ExitsTwo(params string[] args)
    {
        var (exit, _, err) = await InProcess.Fleet(["--hub", $"http://127.0.0.1:{Programs.FreePort()}", .. args]);

        Assert.Equal(2, exit);
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public async Task Apply_MissingFile_ExitsTwo()
    {
        var (exit, _, err) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", "/nonexistent/capability.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("no such file", err);
    }
}
