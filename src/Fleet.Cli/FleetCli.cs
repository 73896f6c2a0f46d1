using System.CommandLine;
using Fleet.Cli.Commands;
using Fleet.Cli.Output;

namespace Fleet.Cli;

/// <summary>The <c>fleet</c> command line.</summary>
internal static class FleetCli
{
    /// <summary>
    /// Runs one command line to its exit code (SPEC §1: 0, 1 or 2), reading and writing only through
    /// <paramref name="console"/>; <paramref name="cancellationToken"/> is the user's interrupt (Ctrl+C).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("fleet: define capabilities and roll them out to every target, safely")
        {
            global.Hub,
            global.Output,
            global.Token,
            global.Ca,
            global.Timeout,
        };
        root.Subcommands.Add(ApplyCommand.Create(global, console));
        root.Subcommands.Add(GetCommand.Create(global, console));
        root.Subcommands.Add(DescribeCommand.Create(global, console));
        root.Subcommands.Add(DeleteCommand.Create(global, console));
        root.Subcommands.Add(RolloutCommand.Create(global, console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(TokenCommand.Create(global, console));
        root.Subcommands.Add(TargetCommand.Create(global, console));
        root.Subcommands.Add(AuditCommand.Create(global, console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(RenderCommand.Create(global, console));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }

            return CliAction.Invalid;
        }

        // Help and --version go to the same stdout; the interrupt is the caller's (the entry point turns
        // Ctrl+C and SIGTERM into it), so a run in process installs no signal handler of its own.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(invocation, cancellationToken);
    }
}
