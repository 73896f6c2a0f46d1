using System.Diagnostics;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>The built fleet-agent program as a real process: a bad command line is exit 2 and one error line, nothing else.</summary>
public sealed class AgentProgramTests : IDisposable
{
    private readonly CommandLines _lines = new();

    public void Dispose() => _lines.Dispose();

    public static TheoryData<bool, string[]> BadCommandLines => new()
    {
        { false, ["--resync", "99999999999999h"] },
        { false, ["--resync", "-1s"] },
        { false, ["--resync", "0s"] },
        { false, ["--name", ""] },
        { false, ["--name", "UPPER"] },
        { false, ["--label", "bad"] },
        { false, ["--label", "=x"] },
        { false, ["--bogus", "x"] },
        { false, ["--name", "-"] },
        { false, ["--driver", "nosuch"] },
        { false, ["--root", "{file}"] },
        { false, ["--state-dir", "{file}"] },
        { true, ["--ca", "{file}"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task Run_BadCommandLine_ExitsTwoWithOneErrorLine(bool secure, string[] changes)
    {
        var (exit, stdout, stderr) = await Run(_lines.With(secure ? CommandLines.Secure : CommandLines.Plaintext, changes));

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Run_Help_ListsTheFlagsOnStdoutAndExitsZero()
    {
        var (exit, stdout, stderr) = await Run(["--help"]);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("(default: 30s)", stdout, StringComparison.Ordinal);
        Assert.All(["--hub", "--name", "--label", "--driver", "--root", "--state-dir", "--resync", "--token", "--token-file", "--ca", "--insecure", "--kubeconfig", "--context", "--force-conflicts"],
            flag => Assert.Contains($"  {flag} ", stdout, StringComparison.Ordinal));
    }

    /// <summary>Where the agent project built fleet-agent (see the test project file for why not the copy next to the tests).</summary>
    private static string Program => typeof(AgentProgramTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FleetAgentProgram").Value!;

    /// <summary>Runs the built fleet-agent to completion.</summary>
    private static async Task<(int Exit, string Out, string Err)> Run(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
