using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet rollout status ID [--watch]</c>.</summary>
internal static class RolloutCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("rollout", "follow and control rollouts");
        command.Subcommands.Add(Status(global));
        return command;
    }

    private static Command Status(GlobalOptions global)
    {
        var id = new Argument<string>("id") { Description = "the rollout id, as printed by apply (e.g. motd-2)" };
        var watch = new Option<bool>("--watch", "-w") { Description = "show live progress until the rollout ends; exit 0 only if it Succeeded" };
        var command = new Command("status", "show a rollout's progress") { id, watch };
        command.SetAction((result, cancellationToken) => CliAction.Run(async () =>
        {
            var rolloutId = result.GetValue(id)!.Replace("rollout/", "", StringComparison.Ordinal);
            using var hub = global.Connect(result);
            var rollout = result.GetValue(watch)
                ? await RolloutWatcher.WatchAsync(hub.Admin, rolloutId, cancellationToken)
                : await hub.Admin.GetRolloutAsync(new GetRequest { Name = rolloutId }, deadline: HubClient.Deadline, cancellationToken: cancellationToken);
            var format = global.Format(result);
            if (format == OutputFormat.Table)
            {
                RolloutWatcher.PrintSummary(rollout);
            }
            else
            {
                DataWriter.Write(JsonShapes.Rollout(rollout), format, Console.Out);
            }

            return !result.GetValue(watch) || rollout.Phase == "Succeeded" ? CliAction.Ok : CliAction.Failed;
        }));
        return command;
    }
}
