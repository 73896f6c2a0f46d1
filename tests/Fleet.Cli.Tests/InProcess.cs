using System.Text;
using Fleet.Cli.Output;

namespace Fleet.Cli.Tests;

/// <summary>
/// Runs the CLI in this process, as <c>fleet ARGS</c> would run with its output piped: the same parsing, commands
/// and exit codes (SPEC §1), with stdin, stdout and stderr those of the test. What only the real program does (its
/// entry point, signals) is tested with <see cref="EndToEnd.Programs"/>.
/// </summary>
internal static class InProcess
{
    /// <summary>Runs <c>fleet ARGS</c> to completion and returns its exit code and output.</summary>
    public static Task<(int Exit, string Out, string Err)> Fleet(params string[] args) => FleetWithInput("", args);

    /// <summary>Runs <c>fleet ARGS</c> with <paramref name="input"/> on stdin, as UTF-8.</summary>
    public static Task<(int Exit, string Out, string Err)> FleetWithInput(string input, params string[] args) =>
        FleetWithInput(Encoding.UTF8.GetBytes(input), args);

    /// <summary>Runs <c>fleet ARGS</c> with these bytes on stdin, for input that is not valid UTF-8.</summary>
    public static async Task<(int Exit, string Out, string Err)> FleetWithInput(byte[] input, params string[] args)
    {
        using var stdin = new MemoryStream(input, writable: false);
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var console = CliConsole.Over(stdin, stdout, stderr);
        var exit = await FleetCli.RunAsync(args, console, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
