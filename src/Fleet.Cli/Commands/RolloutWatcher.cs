using Fleet.Protocol.Admin;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary>
/// Follows a rollout with a live progress bar per wave — counts, failures, the gate it waits at and an
/// ETA — until it ends or needs an operator (paused, waiting for approval).
/// </summary>
internal static class RolloutWatcher
{
    // Waiting for a window or a gate ends by itself, so the watch goes on; paused and approval need an operator.
    private static readonly RolloutPhase[] Stops =
        [RolloutPhase.Succeeded, RolloutPhase.Failed, RolloutPhase.Aborted, RolloutPhase.RolledBack, RolloutPhase.Superseded, RolloutPhase.Paused, RolloutPhase.WaitingApproval];

    public static bool IsSettled(Rollout rollout) => Stops.Contains(rollout.Phase);

    public static async Task<Rollout> WatchAsync(CliConsole console, HubClient hub, string id, CancellationToken cancellationToken)
    {
        var rollout = await Fetch(hub, id, cancellationToken);
        await console.Screen.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var status = context.AddTask(Markup.Escape($"{id} starting"), maxValue: 1);
                while (true)
                {
                    foreach (var wave in rollout.Waves)
                    {
                        if (!bars.TryGetValue(wave.Name, out var bar))
                        {
                            bar = context.AddTaskBefore(wave.Name, status, maxValue: Math.Max(1, wave.Targets.Count));
                            bars[wave.Name] = bar;
                        }

                        bar.MaxValue = Math.Max(1, wave.Targets.Count);
                        bar.Value = wave.Targets.Count == 0 ? bar.MaxValue : wave.Targets.Count(t => t.State is RolloutTargetState.Succeeded or RolloutTargetState.Skipped or RolloutTargetState.Failed);
                        bar.Description = Markup.Escape(WaveLine(wave));
                    }

                    status.Description = Markup.Escape(StatusLine(rollout));
                    status.Value = IsSettled(rollout) ? 1 : 0;
                    if (IsSettled(rollout))
                    {
                        break;
                    }

                    await Task.Delay(250, cancellationToken);
                    rollout = await Fetch(hub, id, cancellationToken);
                }
            });
        return rollout;
    }

    public static void PrintSummary(CliConsole console, Rollout rollout)
    {
        var c = rollout.Counts;
        var kind = string.IsNullOrEmpty(rollout.UndoOf) ? "" : $" (undo of {rollout.UndoOf})";
        console.Out.WriteLine($"rollout/{rollout.Id} {rollout.Capability} revision {rollout.FromRevision} -> {rollout.ToRevision}{kind}: {StateNames.Of(rollout.Phase)}");
        console.Out.WriteLine($"  targets: {c.Total} total, {c.Succeeded} succeeded, {c.Failed} failed, {c.InProgress} in progress, {c.Pending} pending, {c.Skipped} skipped");
        foreach (var wave in rollout.Waves)
        {
            console.Out.WriteLine($"  {WaveLine(wave)}");
        }

        if (!string.IsNullOrEmpty(rollout.Gate))
        {
            console.Out.WriteLine($"  waiting for: {rollout.Gate}");
        }

        if (!string.IsNullOrEmpty(rollout.Message))
        {
            console.Out.WriteLine($"  message: {rollout.Message}");
        }

        foreach (var target in rollout.Waves.SelectMany(w => w.Targets).Where(t => t.State == RolloutTargetState.Failed))
        {
            console.Out.WriteLine($"  failed: {target.Name}: {target.Message}");
        }
    }

    private static string WaveLine(RolloutWave wave)
    {
        var done = wave.Targets.Count(t => t.State is RolloutTargetState.Succeeded or RolloutTargetState.Skipped);
        var updating = wave.Targets.Count(t => t.State == RolloutTargetState.InProgress);
        var failed = wave.Targets.Count(t => t.State == RolloutTargetState.Failed);
        var limits = wave.SoakSeconds > 0 ? $", soak {wave.SoakSeconds}s" : "";
        return $"wave {wave.Name} [{StateNames.Of(wave.Phase)}]: {done}/{wave.Targets.Count} done, {updating} updating, {failed} failed (maxUnavailable {wave.MaxUnavailable}{limits}{(wave.Approval ? ", approval" : "")})";
    }

    private static string StatusLine(Rollout rollout)
    {
        var parts = new List<string> { $"{rollout.Id} {StateNames.Of(rollout.Phase)}" };
        if (!string.IsNullOrEmpty(rollout.Gate))
        {
            parts.Add($"waiting for {rollout.Gate}");
        }

        if (rollout.Eta is { } eta)
        {
            var left = eta.ToDateTimeOffset() - DateTimeOffset.UtcNow;
            parts.Add($"ETA {(left < TimeSpan.Zero ? "now" : left.TotalMinutes >= 1 ? $"{(int)left.TotalMinutes}m{left.Seconds:00}s" : $"{Math.Max(0, (int)left.TotalSeconds)}s")}");
        }

        var failures = rollout.Waves.SelectMany(w => w.Targets).Where(t => t.State == RolloutTargetState.Failed).Take(2).Select(t => $"{t.Name}: {t.Message}").ToList();
        if (failures.Count > 0)
        {
            parts.Add("failed " + string.Join("; ", failures));
        }

        return string.Join(" | ", parts);
    }

    private static async Task<Rollout> Fetch(HubClient hub, string id, CancellationToken cancellationToken) =>
        await hub.Admin.GetRolloutAsync(new GetRequest { Name = id }, deadline: hub.Deadline, cancellationToken: cancellationToken);
}
