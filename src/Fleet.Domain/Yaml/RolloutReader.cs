using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// A rollout strategy (SPEC §4): <c>spec.rollout</c> of a capability, or a strategy document of its own
/// (<c>fleet rollout start -f STRATEGY.yaml</c>).
/// </summary>
internal sealed class RolloutReader(DiagnosticSink sink) : SectionReader(sink)
{
    public RolloutStrategySpec Read(DocMapping rollout, string path)
    {
        var fields = Fields(rollout, path, ["trigger", "maxUnavailable", "soakSeconds", "progressDeadlineSeconds", "failureBudget", "onFailure", "offlineTargets", "waves", "window"]);
        RolloutTrigger? trigger = OptionalChoice(fields, "trigger", path, ("auto", RolloutTrigger.Auto), ("manual", RolloutTrigger.Manual));
        var maxUnavailable = OptionalCount(fields, "maxUnavailable", Join(path, "maxUnavailable"), allowZero: false);
        var soak = OptionalInt(fields, "soakSeconds", Join(path, "soakSeconds"), 0, 7 * 86400);
        var deadline = OptionalInt(fields, "progressDeadlineSeconds", Join(path, "progressDeadlineSeconds"), 1, 86400);
        FailureBudgetSpec? budget = null;
        if (Mapping(rollout, fields, "failureBudget", Join(path, "failureBudget"), required: false) is { } budgetMap)
        {
            var budgetPath = Join(path, "failureBudget");
            var budgetFields = Fields(budgetMap, budgetPath, ["maxFailures", "minSample"]);
            budget = new FailureBudgetSpec
            {
                MaxFailures = OptionalCount(budgetFields, "maxFailures", budgetPath + ".maxFailures", allowZero: true),
                MinSample = OptionalInt(budgetFields, "minSample", budgetPath + ".minSample", 1, 1_000_000),
            };
        }

        OnFailure? onFailure = OptionalChoice(fields, "onFailure", path, ("pause", OnFailure.Pause), ("rollback", OnFailure.Rollback));
        OfflineTargets? offline = OptionalChoice(fields, "offlineTargets", path, ("wait", OfflineTargets.Wait), ("skip", OfflineTargets.Skip));
        List<WaveSpec>? waves = null;
        if (Sequence(rollout, fields, "waves", Join(path, "waves"), required: false) is { } waveList)
        {
            waves = ReadWaves(waveList, Join(path, "waves"));
        }

        WindowSpec? window = null;
        if (Mapping(rollout, fields, "window", Join(path, "window"), required: false) is { } windowMap)
        {
            window = ReadWindow(windowMap, Join(path, "window"));
        }

        return new RolloutStrategySpec
        {
            Trigger = trigger,
            MaxUnavailable = maxUnavailable,
            SoakSeconds = soak,
            ProgressDeadlineSeconds = deadline,
            FailureBudget = budget,
            OnFailure = onFailure,
            OfflineTargets = offline,
            Waves = waves,
            Window = window,
        };
    }

    private List<WaveSpec> ReadWaves(DocSequence list, string path)
    {
        var waves = new List<WaveSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (list.Items.Count is 0 or > 20)
        {
            Report(list, path, "waves needs from 1 to 20 waves (leave it out for one wave of every target)");
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var wavePath = $"{path}[{i}]";
            if (Expect<DocMapping>(list.Items[i], wavePath) is not { } item)
            {
                continue;
            }

            var fields = Fields(item, wavePath, ["name", "selector", "maxUnavailable", "soakSeconds", "approval"]);
            var name = RequiredString(item, fields, "name", wavePath + ".name");
            if (name is { } n && !NameRules.IsDns1123Label(n.Value))
            {
                Report(n.Node, wavePath + ".name", $"'{n.Value}' is not a valid wave name: {Dns1123Rule}");
            }
            else if (name is { } unique && !names.Add(unique.Value))
            {
                Report(unique.Node, wavePath + ".name", $"duplicate wave name '{unique.Value}'");
            }

            var selector = Mapping(item, fields, "selector", wavePath + ".selector", required: false) is { } s ? new SelectorReader(Sink).Read(s, wavePath + ".selector") : null;
            if (selector is null && i < list.Items.Count - 1)
            {
                Report(item, wavePath + ".selector", "only the last wave may leave out its selector (a wave without one takes every remaining target)");
            }

            bool approval = false;
            if (OptionalString(fields, "approval", wavePath + ".approval") is { } a)
            {
                if (a is "true" or "false")
                {
                    approval = a == "true";
                }
                else
                {
                    Report(fields["approval"].Value, wavePath + ".approval", $"approval must be true or false, not '{a}'");
                }
            }

            waves.Add(new WaveSpec
            {
                Name = name?.Value ?? "",
                Selector = selector,
                MaxUnavailable = OptionalCount(fields, "maxUnavailable", wavePath + ".maxUnavailable", allowZero: false),
                SoakSeconds = OptionalInt(fields, "soakSeconds", wavePath + ".soakSeconds", 0, 7 * 86400),
                Approval = approval,
            });
        }

        return waves;
    }

    private WindowSpec? ReadWindow(DocMapping map, string path)
    {
        var fields = Fields(map, path, ["schedule", "durationMinutes", "timeZone"]);
        var schedule = RequiredString(map, fields, "schedule", path + ".schedule");
        var duration = OptionalInt(fields, "durationMinutes", path + ".durationMinutes", 1, MaintenanceWindow.MaxDurationMinutes);
        if (duration is null && !fields.ContainsKey("durationMinutes"))
        {
            Report(map, path + ".durationMinutes", "durationMinutes is required");
        }

        var zone = OptionalString(fields, "timeZone", path + ".timeZone") ?? "UTC";
        if (schedule is null || duration is null)
        {
            return null;
        }

        var spec = new WindowSpec { Schedule = schedule.Value.Value, DurationMinutes = duration.Value, TimeZone = zone };
        if (MaintenanceWindow.TryCreate(spec, out var error) is null)
        {
            Report(error!.StartsWith("time zone", StringComparison.Ordinal) && fields.TryGetValue("timeZone", out var tz) ? tz.Value : schedule.Value.Node,
                error.StartsWith("time zone", StringComparison.Ordinal) ? path + ".timeZone" : path + ".schedule", error);
            return null;
        }

        return spec;
    }
}
