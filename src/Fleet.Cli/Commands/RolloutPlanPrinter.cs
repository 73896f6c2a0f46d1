using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary>The human form of <c>fleet rollout plan</c>.</summary>
internal static class RolloutPlanPrinter
{
    public static void Print(CliConsole console, RolloutPlan plan)
    {
        var changing = plan.Waves.Sum(w => w.Targets.Count(t => t.Change));
        console.Out.WriteLine($"plan: {plan.Capability} revision {(plan.FromRevision == 0 ? "-" : plan.FromRevision.ToString())} -> {plan.ToRevision}: " +
                          $"{changing} target(s) would change in {plan.Waves.Count} wave(s); nothing was changed");
        if (!string.IsNullOrEmpty(plan.Window))
        {
            console.Out.WriteLine($"window: target updates start only within {plan.Window}");
        }

        foreach (var wave in plan.Waves)
        {
            var gates = new List<string> { $"maxUnavailable {wave.MaxUnavailable}" };
            if (wave.SoakSeconds > 0)
            {
                gates.Add($"soak {wave.SoakSeconds}s");
            }

            if (wave.Approval)
            {
                gates.Add("needs approval");
            }

            console.Out.WriteLine();
            console.Out.WriteLine($"wave {wave.Name} ({string.Join(", ", gates)}): {wave.Targets.Count} target(s)");
            var table = Tables.New("TARGET", "CHANGE", "WHY");
            foreach (var t in wave.Targets)
            {
                table.AddRow(Tables.Cell(t.Name), Tables.Cell(t.Change ? (t.Action == "remove" ? "remove" : "update") : "no"), Tables.Cell(t.Reason));
            }

            console.Screen.Write(table);
        }

        if (plan.Excluded.Count > 0)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"not in this rollout: {plan.Excluded.Count} target(s)");
            var table = Tables.New("TARGET", "WHY");
            foreach (var t in plan.Excluded)
            {
                table.AddRow(Tables.Cell(t.Name), Tables.Cell(t.Reason));
            }

            console.Screen.Write(table);
        }
    }
}
