using Fleet.Cli.Connection;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary>Follows a rollout with live progress bars until it ends or needs an operator.</summary>
internal static class RolloutWatcher
{
    private static readonly string[] Stops = ["Succeeded", "Failed", "Aborted", "RolledBack", "Superseded", "Paused"];

    public static bool IsSettled(Rollout rollout) => Stops.Contains(rollout.Phase);

    public static async Task<Rollout> WatchAsync(FleetAdmin.FleetAdminClient admin, string id, CancellationToken cancellationToken)
    {
        Rollout rollout = await admin.GetRolloutAsync(new GetRequest { Name = id }, deadline: HubClient.Deadline, cancellationToken: cancellationToken);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (true)
                {
                    foreach (var wave in rollout.Waves)
                    {
                        if (!bars.TryGetValue(wave.Name, out var bar))
                        {
                            bar = context.AddTask(wave.Name, maxValue: Math.Max(1, wave.Targets.Count));
                            bars[wave.Name] = bar;
                        }

                        var done = wave.Targets.Count(t => t.State is "Succeeded" or "Skipped");
                        var inFlight = wave.Targets.Count(t => t.State == "InProgress");
                        var failed = wave.Targets.Count(t => t.State == "Failed");
                        bar.Value = wave.Targets.Count == 0 ? 1 : done;
                        bar.Description = Markup.Escape(
                            $"{rollout.Id} {wave.Name}: {done}/{wave.Targets.Count} done, {inFlight} updating, {failed} failed [{rollout.Phase}]");
                    }

                    if (IsSettled(rollout))
                    {
                        break;
                    }

                    await Task.Delay(250, cancellationToken);
                    rollout = await admin.GetRolloutAsync(new GetRequest { Name = id }, deadline: HubClient.Deadline, cancellationToken: cancellationToken);
                }
            });
        return rollout;
    }

    public static void PrintSummary(Rollout rollout)
    {
        var c = rollout.Counts;
        Console.WriteLine($"rollout/{rollout.Id} {rollout.Capability} revision {rollout.FromRevision} -> {rollout.ToRevision}: {rollout.Phase}");
        Console.WriteLine($"  targets: {c.Total} total, {c.Succeeded} succeeded, {c.Failed} failed, {c.InProgress} in progress, {c.Pending} pending, {c.Skipped} skipped (maxUnavailable {rollout.MaxUnavailable})");
        if (!string.IsNullOrEmpty(rollout.Message))
        {
            Console.WriteLine($"  message: {rollout.Message}");
        }

        foreach (var target in rollout.Waves.SelectMany(w => w.Targets).Where(t => t.State == "Failed"))
        {
            Console.WriteLine($"  failed: {target.Name}: {target.Message}");
        }
    }
}
