using System.Diagnostics;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;

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
        { false, ["--driver", "git"] },
        { false, ["--driver", "git", "--repo", "/srv/fleet.git", "--path", "../up"] },
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
        Assert.All(["--hub", "--name", "--label", "--driver", "--root", "--state-dir", "--resync", "--token", "--token-file", "--ca", "--insecure", "--kubeconfig", "--context", "--force-conflicts", "--repo", "--branch", "--path"],
            flag => Assert.Contains($"  {flag} ", stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ReconcileLoopCannotGoOn_ExitsOneWithOneCriticalLine()
    {
        // A cached desired set starts a pass without any hub; reports cannot be recorded (a directory where the outbox
        // file goes), so the loop cannot go on.
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.State, ReportOutbox.FileName));
        var motd = new DesiredCapability { Key = "motd", Capability = "motd", Revision = 1, Hash = "h1" };
        motd.Resources.Add(new Resource { Id = "motd", Hash = "r1", File = new FileResource { Path = "etc/motd", Content = "hello", Mode = "0644" } });
        new DesiredStateStore(dir.State).Save(new DesiredSet { Hash = "d1", Capabilities = { motd } });

        var (exit, stdout, _) = await Run(["--hub", "http://127.0.0.1:9", "--insecure", "--name", "a1", "--driver", "files", "--root", dir.Root, "--state-dir", dir.State]);

        Assert.Equal(1, exit);
        var critical = Assert.Single(stdout.Split('\n'), l => l.Contains("crit:", StringComparison.Ordinal));
        Assert.Contains("the reconcile loop stopped", critical, StringComparison.Ordinal);
    }

    /// <summary>Where the agent project built fleet-agent (see the test project file for why not the copy next to the tests).</summary>
    internal static string Program => typeof(AgentProgramTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FleetAgentProgram").Value!;

    /// <summary>Runs the built fleet-agent to completion.</summary>
    internal static async Task<(int Exit, string Out, string Err)> Run(string[] args)
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
