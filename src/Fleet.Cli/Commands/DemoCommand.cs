using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Demo;
using Fleet.Cli.Output;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet demo [--dir DIR] [--keep] [--agents N]</c>.</summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var dir = new Option<string?>("--dir") { Description = "put the hub's data and the targets here instead of a temporary directory (kept afterwards)" };
        var keep = new Option<bool>("--keep") { Description = "leave the fleet running and print how to point the CLI at it" };
        var agents = new Option<int>("--agents") { Description = "how many agents (1-50)", DefaultValueFactory = _ => 5 };
        var command = new Command("demo", "bring up a local fleet, roll a capability out to it and patch it") { dir, keep, agents };
        command.SetAction((result, cancellationToken) => CliAction.Run(console, async () =>
        {
            var count = result.GetValue(agents);
            if (count is < 1 or > 50)
            {
                throw new UsageException("--agents must be between 1 and 50");
            }

            return await new DemoRunner(console, new DemoOptions(result.GetValue(dir), result.GetValue(keep), count)).RunAsync(cancellationToken);
        }));
        return command;
    }
}
