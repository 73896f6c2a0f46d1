using System.Text.RegularExpressions;
using Fleet.Domain.Model;
using Fleet.Domain.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fleet.Domain.Serialization;

/// <summary>
/// A capability as the YAML document an operator would write (SPEC §2), for <c>fleet describe</c> and
/// <c>-o yaml</c>. Reading the output back with <see cref="DocumentParser"/> gives the same spec.
/// </summary>
public static partial class CapabilitySpecYaml
{
    public static string Serialize(CapabilitySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings().WithBestIndent(2).WithBestWidth(int.MaxValue));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Map(emitter, () =>
        {
            Pair(emitter, "apiVersion", CapabilityReader.ApiVersion);
            Pair(emitter, "kind", "Capability");
            Key(emitter, "metadata");
            Map(emitter, () => Pair(emitter, "name", spec.Name));
            Key(emitter, "spec");
            Map(emitter, () => WriteSpec(emitter, spec));
        });
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void WriteSpec(IEmitter emitter, CapabilitySpec spec)
    {
        if (spec.Version.Length > 0)
        {
            Pair(emitter, "version", spec.Version);
        }

        if (spec.Inputs is { } inputs)
        {
            Key(emitter, "inputs");
            WriteInputs(emitter, inputs);
        }

        var placement = spec.Placement;
        if (!placement.Selector.IsEmpty || placement.When is not null)
        {
            Key(emitter, "placement");
            Map(emitter, () =>
            {
                if (!placement.Selector.IsEmpty)
                {
                    Key(emitter, "selector");
                    Map(emitter, () => WriteSelector(emitter, placement.Selector));
                }

                if (placement.When is not null)
                {
                    Pair(emitter, "when", placement.When);
                }
            });
        }

        Key(emitter, "resources");
        Sequence(emitter, spec.Resources, resource => Map(emitter, () =>
        {
            Pair(emitter, "id", resource.Id);
            if (resource.File is { } file)
            {
                Key(emitter, "file");
                Map(emitter, () =>
                {
                    Pair(emitter, "path", file.Path);
                    if (file.Mode is not null)
                    {
                        Pair(emitter, "mode", file.Mode);
                    }

                    Pair(emitter, "content", file.Content);
                });
            }

            WriteResourceKinds(emitter, resource);
        }));

        if (!spec.Rollout.IsEmpty)
        {
            Key(emitter, "rollout");
            Map(emitter, () => WriteRollout(emitter, spec.Rollout));
        }

        if (spec.Validations.Count > 0)
        {
            Key(emitter, "validations");
            Sequence(emitter, spec.Validations, validation => Map(emitter, () =>
            {
                Pair(emitter, validation.Rule is not null ? "rule" : "resourceRule", validation.Text);
                Pair(emitter, "message", validation.Message);
            }));
        }
    }

    private static void WriteRollout(IEmitter emitter, RolloutStrategySpec rollout)
    {
        static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (rollout.Trigger is { } trigger)
        {
            Pair(emitter, "trigger", CapabilitySpecJson.TriggerText(trigger));
        }

        if (rollout.MaxUnavailable is { } maxUnavailable)
        {
            Pair(emitter, "maxUnavailable", maxUnavailable.ToString(), quote: false);
        }

        if (rollout.SoakSeconds is { } soak)
        {
            Pair(emitter, "soakSeconds", Number(soak), quote: false);
        }

        if (rollout.ProgressDeadlineSeconds is { } deadline)
        {
            Pair(emitter, "progressDeadlineSeconds", Number(deadline), quote: false);
        }

        if (rollout.FailureBudget is { } budget)
        {
            Key(emitter, "failureBudget");
            Map(emitter, () =>
            {
                if (budget.MaxFailures is { } maxFailures)
                {
                    Pair(emitter, "maxFailures", maxFailures.ToString(), quote: false);
                }

                if (budget.MinSample is { } minSample)
                {
                    Pair(emitter, "minSample", Number(minSample), quote: false);
                }
            });
        }

        if (rollout.OnFailure is { } onFailure)
        {
            Pair(emitter, "onFailure", onFailure == OnFailure.Rollback ? "rollback" : "pause");
        }

        if (rollout.OfflineTargets is { } offline)
        {
            Pair(emitter, "offlineTargets", offline == OfflineTargets.Skip ? "skip" : "wait");
        }

        if (rollout.Waves is { } waves)
        {
            Key(emitter, "waves");
            Sequence(emitter, waves, wave => Map(emitter, () =>
            {
                Pair(emitter, "name", wave.Name);
                if (wave.Selector is { } selector)
                {
                    Key(emitter, "selector");
                    Map(emitter, () => WriteSelector(emitter, selector));
                }

                if (wave.MaxUnavailable is { } waveMax)
                {
                    Pair(emitter, "maxUnavailable", waveMax.ToString(), quote: false);
                }

                if (wave.SoakSeconds is { } waveSoak)
                {
                    Pair(emitter, "soakSeconds", Number(waveSoak), quote: false);
                }

                if (wave.Approval)
                {
                    Pair(emitter, "approval", "true", quote: false);
                }
            }));
        }

        if (rollout.Window is { } window)
        {
            Key(emitter, "window");
            Map(emitter, () =>
            {
                Pair(emitter, "schedule", window.Schedule);
                Pair(emitter, "durationMinutes", Number(window.DurationMinutes), quote: false);
                Pair(emitter, "timeZone", window.TimeZone);
            });
        }
    }

    private static void WriteSelector(IEmitter emitter, LabelSelector selector)
    {
        if (selector.MatchLabels.Count > 0)
        {
            Key(emitter, "matchLabels");
            Map(emitter, () =>
            {
                foreach (var (key, value) in selector.MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    Pair(emitter, key, value);
                }
            });
        }

        if (selector.MatchExpressions.Count > 0)
        {
            Key(emitter, "matchExpressions");
            Sequence(emitter, selector.MatchExpressions, requirement => Map(emitter, () =>
            {
                Pair(emitter, "key", requirement.Key);
                Pair(emitter, "operator", requirement.Operator.ToString());
                if (requirement.Values.Count > 0)
                {
                    Key(emitter, "values");
                    Sequence(emitter, requirement.Values, value => Scalar(emitter, value, quote: true));
                }
            }));
        }
    }

    private static void Map(IEmitter emitter, Action body)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
        body();
        emitter.Emit(new MappingEnd());
    }

    private static void Sequence<T>(IEmitter emitter, IEnumerable<T> items, Action<T> write)
    {
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
        foreach (var item in items)
        {
            write(item);
        }

        emitter.Emit(new SequenceEnd());
    }

    private static void Key(IEmitter emitter, string key) => Scalar(emitter, key, quote: true);

    private static void Pair(IEmitter emitter, string key, string value, bool quote = true)
    {
        Key(emitter, key);
        Scalar(emitter, value, quote);
    }

    /// <summary>
    /// Strings that a YAML reader would take for a number, bool or null (<c>"1.0"</c>, <c>"0644"</c>, <c>"yes"</c>)
    /// are double-quoted so other tools read them as the strings they are; multi-line text is a literal block,
    /// and text with control characters is double-quoted, the one style with escapes.
    /// </summary>
    private static void Scalar(IEmitter emitter, string value, bool quote)
    {
        var style = !value.All(c => c >= ' ' || c is '\n' or '\t') ? ScalarStyle.DoubleQuoted // only escapes can carry control characters
            : value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : quote && LooksTyped(value) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static bool LooksTyped(string value) => value.Length == 0 || TypedScalar().IsMatch(value);

    [GeneratedRegex(@"^(?:[-+]?[0-9._].*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|(?i:y|n|yes|no|on|off|true|false))$")]
    private static partial Regex TypedScalar();
}
