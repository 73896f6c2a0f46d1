using System.CommandLine;
using Fleet.Cli.Commands;

namespace Fleet.Cli;

/// <summary>The <c>fleet</c> command line.</summary>
internal static class FleetCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("fleet: define capabilities and roll them out to every target, safely")
        {
            global.Hub,
            global.Output,
            global.Token,
            global.Ca,
        };
        root.Subcommands.Add(ApplyCommand.Create(global));
        root.Subcommands.Add(GetCommand.Create(global));
        root.Subcommands.Add(DescribeCommand.Create(global));
        root.Subcommands.Add(DeleteCommand.Create(global));
        root.Subcommands.Add(RolloutCommand.Create(global));
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TokenCommand.Create(global));
        root.Subcommands.Add(TargetCommand.Create(global));
        root.Subcommands.Add(AuditCommand.Create(global));
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RenderCommand.Create(global));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            return CliAction.Invalid;
        }

        return await result.InvokeAsync();
    }
}
