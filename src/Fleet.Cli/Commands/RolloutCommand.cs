using Fleet.Protocol.Admin;
using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Input;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet rollout start|plan|status|pause|resume|abort|approve|undo</c> (SPEC §1).</summary>
internal static class RolloutCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var command = new Command("rollout", "start, plan, follow and control rollouts");
        command.Subcommands.Add(Start(global, console));
        command.Subcommands.Add(Plan(global, console));
        command.Subcommands.Add(Status(global, console));
        command.Subcommands.Add(Control(global, console, "pause", "stop starting target updates until resumed", (hub, r) => hub.Admin.PauseRolloutAsync(r, deadline: hub.Deadline)));
        command.Subcommands.Add(Control(global, console, "resume", "continue a paused rollout (failures so far are accepted)", (hub, r) => hub.Admin.ResumeRolloutAsync(r, deadline: hub.Deadline)));
        command.Subcommands.Add(Control(global, console, "abort", "stop starting target updates for good; nothing is reverted", (hub, r) => hub.Admin.AbortRolloutAsync(r, deadline: hub.Deadline)));
        command.Subcommands.Add(Control(global, console, "approve", "let the wave that waits for approval start", (hub, r) => hub.Admin.ApproveRolloutAsync(r, deadline: hub.Deadline)));
        command.Subcommands.Add(Undo(global, console));
        return command;
    }

    private static Command Start(GlobalOptions global, CliConsole console)
    {
        var capability = new Argument<string>("capability") { Description = "a capability, or CAPABILITY/INSTANCE for an instance of one that takes inputs" };
        var (revision, file, maxUnavailable) = StrategyOptions();
        var wait = new Option<bool>("--wait") { Description = "show progress until it ends; exit 0 only if it Succeeded" };
        var command = new Command("start", "start a rollout of a capability revision") { capability, revision, file, maxUnavailable, wait };
        command.SetAction((result, cancellationToken) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var request = Request(result, capability, revision, file, maxUnavailable);
            var rollout = await hub.Admin.StartRolloutAsync(request, deadline: hub.Deadline, cancellationToken: cancellationToken);
            console.Out.WriteLine($"rollout/{rollout.Id}");
            if (!result.GetValue(wait))
            {
                return CliAction.Ok;
            }

            var final = await RolloutWatcher.WatchAsync(console, hub, rollout.Id, cancellationToken);
            RolloutWatcher.PrintSummary(console, final);
            return final.Phase == RolloutPhase.Succeeded ? CliAction.Ok : CliAction.Failed;
        }));
        return command;
    }

    private static Command Plan(GlobalOptions global, CliConsole console)
    {
        var capability = new Argument<string>("capability") { Description = "a capability, or CAPABILITY/INSTANCE for an instance of one that takes inputs" };
        var (revision, file, maxUnavailable) = StrategyOptions();
        var command = new Command("plan", "dry run: the waves, their targets and what would change; changes nothing") { capability, revision, file, maxUnavailable };
        command.SetAction((result, cancellationToken) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var plan = await hub.Admin.PlanRolloutAsync(Request(result, capability, revision, file, maxUnavailable), deadline: hub.Deadline, cancellationToken: cancellationToken);
            var format = global.Format(result);
            if (format == OutputFormat.Table)
            {
                RolloutPlanPrinter.Print(console, plan);
            }
            else
            {
                DataWriter.Write(JsonShapes.Plan(plan), format, console.Out);
            }

            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Status(GlobalOptions global, CliConsole console)
    {
        var id = RolloutId();
        var watch = new Option<bool>("--watch", "-w") { Description = "show live progress until the rollout ends; exit 0 only if it Succeeded" };
        var command = new Command("status", "show a rollout's progress") { id, watch };
        command.SetAction((result, cancellationToken) => CliAction.Run(console, async () =>
        {
            var rolloutId = Normalize(result.GetValue(id)!);
            using var hub = global.Connect(result);
            var rollout = result.GetValue(watch)
                ? await RolloutWatcher.WatchAsync(console, hub, rolloutId, cancellationToken)
                : await hub.Admin.GetRolloutAsync(new GetRequest { Name = rolloutId }, deadline: hub.Deadline, cancellationToken: cancellationToken);
            Print(console, global, result, rollout);
            return !result.GetValue(watch) || rollout.Phase == RolloutPhase.Succeeded ? CliAction.Ok : CliAction.Failed;
        }));
        return command;
    }

    private static Command Control(
        GlobalOptions global,
        CliConsole console,
        string name,
        string description,
        Func<HubClient, GetRequest, AsyncUnaryCall<Rollout>> call)
    {
        var id = RolloutId();
        var command = new Command(name, description) { id };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var rolloutId = Normalize(result.GetValue(id)!);
            using var hub = global.Connect(result);
            var before = await hub.Admin.GetRolloutAsync(new GetRequest { Name = rolloutId }, deadline: hub.Deadline);
            var after = await call(hub, new GetRequest { Name = rolloutId });
            if (after.Phase == before.Phase && after.Message == before.Message)
            {
                return CliAction.Error(console, $"rollout {rolloutId} is {StateNames.Of(after.Phase)}: nothing to {name}", CliAction.Failed);
            }

            Print(console, global, result, after);
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command Undo(GlobalOptions global, CliConsole console)
    {
        var capability = new Argument<string>("capability") { Description = "a capability, or CAPABILITY/INSTANCE for an instance of one that takes inputs" };
        var wait = new Option<bool>("--wait") { Description = "show progress until it ends; exit 0 only if it RolledBack" };
        var command = new Command("undo", "return the targets the latest rollout changed to their previous revision, as a new rollout") { capability, wait };
        command.SetAction((result, cancellationToken) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var rollout = await hub.Admin.UndoRolloutAsync(new GetRequest { Name = result.GetValue(capability)! }, deadline: hub.Deadline, cancellationToken: cancellationToken);
            console.Out.WriteLine($"rollout/{rollout.Id}");
            if (!result.GetValue(wait))
            {
                return CliAction.Ok;
            }

            var final = await RolloutWatcher.WatchAsync(console, hub, rollout.Id, cancellationToken);
            RolloutWatcher.PrintSummary(console, final);
            return final.Phase == RolloutPhase.RolledBack ? CliAction.Ok : CliAction.Failed;
        }));
        return command;
    }

    private static (Option<long> Revision, Option<string?> File, Option<string?> MaxUnavailable) StrategyOptions() =>
    (
        new Option<long>("--revision") { Description = "the revision to roll out (default: the latest)" },
        new Option<string?>("--filename", "-f") { Description = "a rollout strategy YAML (the fields of spec.rollout) over the capability's" },
        new Option<string?>("--max-unavailable") { Description = "targets updating or unhealthy at once: a count or a percentage, over the strategy" }
    );

    private static StartRolloutRequest Request(ParseResult result, Argument<string> capability, Option<long> revision, Option<string?> file, Option<string?> maxUnavailable)
    {
        var request = new StartRolloutRequest
        {
            Capability = result.GetValue(capability)!,
            Revision = result.GetValue(revision),
            MaxUnavailable = result.GetValue(maxUnavailable) ?? "",
        };
        if (result.GetValue(revision) < 0)
        {
            throw new UsageException("--revision must be a revision number (1, 2, ...)");
        }

        if (result.GetValue(file) is { } path)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such file");
            }

            request.StrategyYaml = InputText.ReadFile(path);
            request.StrategySource = path;
        }

        return request;
    }

    private static Argument<string> RolloutId() => new("id") { Description = "the rollout id, as printed by apply or start (e.g. motd-2)" };

    private static string Normalize(string id) => id.StartsWith("rollout/", StringComparison.Ordinal) ? id["rollout/".Length..] : id;

    private static void Print(CliConsole console, GlobalOptions global, ParseResult result, Rollout rollout)
    {
        var format = global.Format(result);
        if (format == OutputFormat.Table)
        {
            RolloutWatcher.PrintSummary(console, rollout);
        }
        else
        {
            DataWriter.Write(JsonShapes.Rollout(rollout), format, console.Out);
        }
    }
}
