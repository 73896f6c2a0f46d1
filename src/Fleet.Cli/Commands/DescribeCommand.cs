using Fleet.Protocol.Admin;
using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet describe KIND NAME</c>: the detail a person needs, including why a target is or is not placed.</summary>
internal static class DescribeCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var kind = new Argument<string>("kind") { Description = "capability, instance, target or rollout" };
        var name = new Argument<string>("name");
        var command = new Command("describe", "show an object in detail") { kind, name };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var n = result.GetValue(name)!;
            using var hub = global.Connect(result);
            switch (ResourceKinds.Parse(result.GetValue(kind)!))
            {
                case ResourceKind.Capability:
                    var description = await hub.Admin.DescribeCapabilityAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    var ofCapability = (await hub.Admin.ListInstancesAsync(new ListRequest(), deadline: hub.Deadline)).Items.Where(i => i.Capability == n).ToList();
                    Capability(console, description, ofCapability);
                    break;
                case ResourceKind.Instance:
                    var instance = await hub.Admin.GetInstanceAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    var capability = await hub.Admin.DescribeCapabilityAsync(new GetRequest { Name = instance.Capability }, deadline: hub.Deadline);
                    var targets = await hub.Admin.ListTargetsAsync(new ListRequest(), deadline: hub.Deadline);
                    Instance(console, instance, capability, targets.Items);
                    break;
                case ResourceKind.Target:
                    Target(console, await hub.Admin.GetTargetAsync(new GetRequest { Name = n }, deadline: hub.Deadline));
                    break;
                case ResourceKind.Rollout:
                    var rollout = await hub.Admin.GetRolloutAsync(new GetRequest { Name = n }, deadline: hub.Deadline);
                    RolloutWatcher.PrintSummary(console, rollout);
                    var table = Tables.New("TARGET", "STATE", "MESSAGE");
                    foreach (var t in rollout.Waves.SelectMany(w => w.Targets))
                    {
                        table.AddRow(Tables.Cell(t.Name), Tables.Cell(StateNames.Of(t.State)), Tables.Cell(t.Message));
                    }

                    console.Screen.Write(table);
                    break;
            }

            return CliAction.Ok;
        }));
        return command;
    }

    private static void Capability(CliConsole console, CapabilityDescription d, IReadOnlyList<Instance> instances)
    {
        var c = d.Capability;
        console.Out.WriteLine($"Name:             {c.Name}");
        console.Out.WriteLine($"Version:          {c.Version}");
        console.Out.WriteLine($"Revision:         {c.Revision} (revisions: {string.Join(", ", c.Revisions)})");
        console.Out.WriteLine($"Stable revision:  {(c.StableRevision == 0 ? "none yet" : c.StableRevision.ToString())}");
        console.Out.WriteLine($"Active rollout:   {(string.IsNullOrEmpty(c.ActiveRollout) ? "none" : c.ActiveRollout)}");
        console.Out.WriteLine($"Targets:          {c.Targets}");
        if (instances.Count > 0)
        {
            // A capability with inputs runs only as its instances: each is its own delivery (fleet describe instance NAME).
            console.Out.WriteLine($"Instances:        {string.Join(", ", instances.Select(i => $"{i.Name} (revision {i.Revision}, {i.Targets} targets)"))}");
        }

        console.Out.WriteLine();
        console.Out.WriteLine("Placement (latest revision):");
        var table = Tables.New("TARGET", "PLACED", "RUNS", "WHY");
        foreach (var p in d.Placement)
        {
            table.AddRow(Tables.Cell(p.Target), Tables.Cell(p.Placed ? "yes" : "no"),
                Tables.Cell(p.Revision == 0 ? "-" : $"{p.Revision} {StateNames.Of(p.State)}"), Tables.Cell(p.Reason));
        }

        console.Screen.Write(table);
        console.Out.WriteLine();
        console.Out.WriteLine("Spec:");
        console.Out.WriteLine(string.Join('\n', d.SpecYaml.TrimEnd().Split('\n').Select(l => "  " + l)));
    }

    /// <summary>An instance: its revisions, its inputs after defaults, and per target whether it is placed and what runs.</summary>
    private static void Instance(CliConsole console, Instance i, CapabilityDescription capability, IEnumerable<Target> targets)
    {
        console.Out.WriteLine($"Name:             {i.Name}");
        console.Out.WriteLine($"Capability:       {i.Capability} (revision {i.CapabilityRevision}; delivered as {i.Key})");
        console.Out.WriteLine($"Revision:         {i.Revision} (revisions: {string.Join(", ", i.Revisions)})");
        console.Out.WriteLine($"Stable revision:  {(i.StableRevision == 0 ? "none yet" : i.StableRevision.ToString())}");
        console.Out.WriteLine($"Active rollout:   {(string.IsNullOrEmpty(i.ActiveRollout) ? "none" : i.ActiveRollout)}");
        console.Out.WriteLine($"Targets:          {i.Targets}");
        console.Out.WriteLine();
        console.Out.WriteLine("Inputs (after defaults):");
        var inputs = new StringWriter();
        DataWriter.Write(System.Text.Json.Nodes.JsonNode.Parse(i.InputsJson)!, OutputFormat.Yaml, inputs);
        console.Out.WriteLine(string.Join('\n', inputs.ToString().TrimEnd().Split('\n').Select(l => "  " + l)));
        console.Out.WriteLine();
        console.Out.WriteLine("Placement (the capability's latest revision):");
        var running = targets.ToDictionary(t => t.Name, t => t.Capabilities.GetValueOrDefault(i.Key), StringComparer.Ordinal);
        var table = Tables.New("TARGET", "PLACED", "RUNS", "WHY");
        foreach (var p in capability.Placement)
        {
            var runs = running.GetValueOrDefault(p.Target);
            table.AddRow(Tables.Cell(p.Target), Tables.Cell(p.Placed ? "yes" : "no"),
                Tables.Cell(runs is null ? "-" : $"{runs.Revision} {StateNames.Of(runs.State)}"), Tables.Cell(p.Reason));
        }

        console.Screen.Write(table);
    }

    private static void Target(CliConsole console, Target t)
    {
        console.Out.WriteLine($"Name:       {t.Name}");
        console.Out.WriteLine($"Driver:     {t.Driver}");
        console.Out.WriteLine($"Connected:  {(t.Connected ? "yes" : "no")}");
        console.Out.WriteLine($"Last seen:  {(t.LastSeen is null ? "never" : t.LastSeen.ToDateTimeOffset().ToString("u"))}");
        console.Out.WriteLine($"Labels:     {string.Join(", ", t.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}");
        console.Out.WriteLine($"Facts:      {string.Join(", ", t.Facts.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}");
        console.Out.WriteLine();
        var table = Tables.New("CAPABILITY", "REVISION", "DESIRED", "STATE", "MESSAGE");
        foreach (var (key, c) in t.Capabilities.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            table.AddRow(Tables.Cell(key), Tables.Cell(c.Revision.ToString()), Tables.Cell(c.DesiredRevision.ToString()),
                Tables.Cell(StateNames.Of(c.State)), Tables.Cell(c.Message));
        }

        console.Screen.Write(table);
    }
}
