using System.Diagnostics;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>
/// Runs the built programs (fleet-hub, fleet-agent, fleet) as real processes. They sit next to this
/// test assembly because the CLI project references the hub and agent projects.
/// </summary>
internal static class Programs
{
    public static string Hub => Path.Combine(AppContext.BaseDirectory, "fleet-hub.dll");
    public static string Agent => Path.Combine(AppContext.BaseDirectory, "fleet-agent.dll");
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "fleet.dll");

    /// <summary>Starts a built program with its output in <paramref name="logFile"/>.</summary>
    public static Process Start(string dll, IEnumerable<string> args, string logFile) =>
        LoggedProcess.Start(dll, args, logFile);

    /// <summary>Runs the CLI to completion and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Out, string Err)> Fleet(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["FLEET_HUB"] = "";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGKILL: the process gets no chance to flush or shut down.</summary>
    public static async Task KillHard(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>A loopback port for a hub or silo; see <see cref="LoopbackPorts"/> for why not <c>bind(0)</c>.</summary>
    public static int FreePort() => LoopbackPorts.Take();
}
