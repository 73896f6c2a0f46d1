using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet get KIND [NAME] [-l SELECTOR] [-o table|json|yaml]</c>.</summary>
internal static class GetCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var kind = new Argument<string>("kind") { Description = "targets, capabilities, instances or rollouts" };
        var name = new Argument<string?>("name") { Description = "show one object", Arity = ArgumentArity.ZeroOrOne };
        var selector = new Option<string?>("--selector", "-l") { Description = "label selector, e.g. env=dev,region in (eu,us)" };
        var command = new Command("get", "list objects or show one") { kind, name, selector };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var format = global.Format(result);
            var k = ResourceKinds.Parse(result.GetValue(kind)!);
            var n = result.GetValue(name);
            if (k != ResourceKind.Target && result.GetValue(selector) is not null)
            {
                // Only targets carry labels; silently listing everything would look like a match.
                throw new UsageException("-l/--selector applies to targets only");
            }

            using var hub = global.Connect(result);
            var admin = hub.Admin;
            switch (k)
            {
                case ResourceKind.Target when n is not null:
                    var target = await admin.GetTargetAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.Target(target), () => Tables.Targets([target]));
                    break;
                case ResourceKind.Target:
                    var targets = await admin.ListTargetsAsync(new ListRequest { Selector = result.GetValue(selector) ?? "" }, deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.List(targets.Items.Select(JsonShapes.Target)), () => Tables.Targets(targets.Items));
                    break;
                case ResourceKind.Capability when n is not null:
                    var capability = await admin.GetCapabilityAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.Capability(capability), () => Tables.Capabilities([capability]));
                    break;
                case ResourceKind.Capability:
                    var capabilities = await admin.ListCapabilitiesAsync(new ListRequest(), deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.List(capabilities.Items.Select(JsonShapes.Capability)), () => Tables.Capabilities(capabilities.Items));
                    break;
                case ResourceKind.Instance when n is not null:
                    var instance = await admin.GetInstanceAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.Instance(instance), () => Tables.Instances([instance]));
                    break;
                case ResourceKind.Instance:
                    var instances = await admin.ListInstancesAsync(new ListRequest(), deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.List(instances.Items.Select(JsonShapes.Instance)), () => Tables.Instances(instances.Items));
                    break;
                case ResourceKind.Rollout when n is not null:
                    var rollout = await admin.GetRolloutAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.Rollout(rollout), () => Tables.Rollouts([rollout]));
                    break;
                case ResourceKind.Rollout:
                    var rollouts = await admin.ListRolloutsAsync(new ListRequest(), deadline: hub.Deadline);
                    Emit(console, format, JsonShapes.List(rollouts.Items.Select(JsonShapes.Rollout)), () => Tables.Rollouts(rollouts.Items));
                    break;
            }

            return CliAction.Ok;
        }));
        return command;
    }

    private static void Emit(CliConsole console, OutputFormat format, JsonNode data, Func<Table> table)
    {
        if (format == OutputFormat.Table)
        {
            console.Screen.Write(table());
            return;
        }

        DataWriter.Write(data, format, console.Out);
    }
}
