using System.Text.Json;
using Fleet.Domain.Model;
using static Fleet.Domain.Serialization.CapabilitySpecJson;

namespace Fleet.Domain.Serialization;

/// <summary>The canonical JSON of a rollout strategy (inside a capability's canonical JSON, and on its own for overrides).</summary>
public static class RolloutStrategyJson
{
    public static string Serialize(RolloutStrategySpec strategy)
    {
        var w = new CanonicalJsonWriter();
        Write(w, strategy);
        return w.ToString();
    }

    public static RolloutStrategySpec Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(Object(document.RootElement, "$"));
    }

    internal static void Write(CanonicalJsonWriter w, RolloutStrategySpec s)
    {
        w.StartObject();
        if (s.Trigger is { } trigger)
        {
            w.Name("trigger").String(TriggerText(trigger));
        }

        if (s.MaxUnavailable is { } maxUnavailable)
        {
            w.Name("maxUnavailable").String(maxUnavailable.ToString());
        }

        if (s.SoakSeconds is { } soak)
        {
            w.Name("soakSeconds").Number(soak);
        }

        if (s.ProgressDeadlineSeconds is { } deadline)
        {
            w.Name("progressDeadlineSeconds").Number(deadline);
        }

        if (s.FailureBudget is { } budget)
        {
            w.Name("failureBudget").StartObject();
            if (budget.MaxFailures is { } maxFailures)
            {
                w.Name("maxFailures").String(maxFailures.ToString());
            }

            if (budget.MinSample is { } minSample)
            {
                w.Name("minSample").Number(minSample);
            }

            w.EndObject();
        }

        if (s.OnFailure is { } onFailure)
        {
            w.Name("onFailure").String(onFailure == OnFailure.Rollback ? "rollback" : "pause");
        }

        if (s.OfflineTargets is { } offline)
        {
            w.Name("offlineTargets").String(offline == OfflineTargets.Skip ? "skip" : "wait");
        }

        if (s.Waves is { } waves)
        {
            w.Name("waves").StartArray();
            foreach (var wave in waves)
            {
                w.StartObject();
                w.Name("name").String(wave.Name);
                if (wave.Selector is { } selector)
                {
                    w.Name("selector");
                    WriteSelector(w, selector);
                }

                if (wave.MaxUnavailable is { } waveMax)
                {
                    w.Name("maxUnavailable").String(waveMax.ToString());
                }

                if (wave.SoakSeconds is { } waveSoak)
                {
                    w.Name("soakSeconds").Number(waveSoak);
                }

                if (wave.Approval)
                {
                    w.Name("approval").Bool(true);
                }

                w.EndObject();
            }

            w.EndArray();
        }

        if (s.Window is { } window)
        {
            w.Name("window").StartObject();
            w.Name("schedule").String(window.Schedule);
            w.Name("durationMinutes").Number(window.DurationMinutes);
            w.Name("timeZone").String(window.TimeZone);
            w.EndObject();
        }

        w.EndObject();
    }

    internal static RolloutStrategySpec Read(JsonElement rollout) => new()
    {
        Trigger = Optional(rollout, "trigger") is { } t
            ? String(t, "rollout.trigger") switch
            {
                "auto" => RolloutTrigger.Auto,
                "manual" => RolloutTrigger.Manual,
                var other => throw new JsonException($"unknown rollout trigger '{other}'"),
            }
            : null,
        MaxUnavailable = Optional(rollout, "maxUnavailable") is { } mu ? Percent(String(mu, "rollout.maxUnavailable")) : null,
        SoakSeconds = Optional(rollout, "soakSeconds") is { } soak ? Int(soak, "soakSeconds") : null,
        ProgressDeadlineSeconds = Optional(rollout, "progressDeadlineSeconds") is { } d ? Int(d, "progressDeadlineSeconds") : null,
        FailureBudget = Optional(rollout, "failureBudget") is { } fb
            ? new FailureBudgetSpec
            {
                MaxFailures = Optional(fb, "maxFailures") is { } mf ? Percent(String(mf, "maxFailures")) : null,
                MinSample = Optional(fb, "minSample") is { } ms ? Int(ms, "minSample") : null,
            }
            : null,
        OnFailure = Optional(rollout, "onFailure") is { } of
            ? String(of, "onFailure") switch
            {
                "pause" => OnFailure.Pause,
                "rollback" => OnFailure.Rollback,
                var other => throw new JsonException($"unknown onFailure '{other}'"),
            }
            : null,
        OfflineTargets = Optional(rollout, "offlineTargets") is { } ot
            ? String(ot, "offlineTargets") switch
            {
                "wait" => OfflineTargets.Wait,
                "skip" => OfflineTargets.Skip,
                var other => throw new JsonException($"unknown offlineTargets '{other}'"),
            }
            : null,
        Waves = Optional(rollout, "waves") is { } waves
            ? Array(waves, "waves").Select(item =>
            {
                var wave = Object(item, "waves[]");
                return new WaveSpec
                {
                    Name = String(Required(wave, "name"), "waves[].name"),
                    Selector = Optional(wave, "selector") is { } sel ? ReadSelector(Object(sel, "waves[].selector")) : null,
                    MaxUnavailable = Optional(wave, "maxUnavailable") is { } wm ? Percent(String(wm, "waves[].maxUnavailable")) : null,
                    SoakSeconds = Optional(wave, "soakSeconds") is { } ws ? Int(ws, "waves[].soakSeconds") : null,
                    Approval = Optional(wave, "approval") is { } a && a.ValueKind == JsonValueKind.True,
                };
            }).ToList()
            : null,
        Window = Optional(rollout, "window") is { } win
            ? new WindowSpec
            {
                Schedule = String(Required(win, "schedule"), "window.schedule"),
                DurationMinutes = Int(Required(win, "durationMinutes"), "window.durationMinutes"),
                TimeZone = Optional(win, "timeZone") is { } tz ? String(tz, "window.timeZone") : "UTC",
            }
            : null,
    };

    private static IntOrPercent Percent(string text) =>
        IntOrPercent.TryParse(text, out var parsed) ? parsed : throw new JsonException($"invalid count or percentage '{text}'");

    private static int Int(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) ? value : throw new JsonException($"{what} must be an integer");
}
