using System.Globalization;
using Fleet.Domain.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fleet.Domain.Serialization;

/// <summary>The <c>manifest</c> and <c>exec</c> resource kinds and <c>readyWhen</c> and <c>includeWhen</c> as YAML.</summary>
public static partial class CapabilitySpecYaml
{
    private static void WriteResourceKinds(IEmitter emitter, ResourceSpec resource)
    {
        if (resource.Manifest is { } manifest)
        {
            Key(emitter, "manifest");
            Value(emitter, manifest.Object);
        }

        if (resource.Exec is { } exec)
        {
            Key(emitter, "exec");
            Map(emitter, () =>
            {
                Argv(emitter, "command", exec.Command);
                if (exec.Stdin is not null)
                {
                    Pair(emitter, "stdin", exec.Stdin);
                }

                if (exec.Env.Count > 0)
                {
                    Key(emitter, "env");
                    Map(emitter, () =>
                    {
                        foreach (var (key, value) in exec.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                        {
                            Pair(emitter, key, value);
                        }
                    });
                }

                if (exec.TimeoutSeconds is { } timeout)
                {
                    Pair(emitter, "timeoutSeconds", timeout.ToString(CultureInfo.InvariantCulture), quote: false);
                }

                if (exec.Check is { } check)
                {
                    Argv(emitter, "check", check);
                }

                if (exec.Delete is { } delete)
                {
                    Argv(emitter, "delete", delete);
                }
            });
        }

        if (resource.ReadyWhen.Count > 0)
        {
            Argv(emitter, "readyWhen", resource.ReadyWhen);
        }

        if (resource.IncludeWhen.Count > 0)
        {
            Argv(emitter, "includeWhen", resource.IncludeWhen);
        }
    }

    private static void Argv(IEmitter emitter, string key, IReadOnlyList<string> items)
    {
        Key(emitter, key);
        Sequence(emitter, items, item => Scalar(emitter, item, quote: true));
    }

    /// <summary>A manifest value: strings quoted where YAML would read them as another type, other scalars plain.</summary>
    private static void Value(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case string text:
                Scalar(emitter, text, quote: true);
                break;
            case bool b:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, b ? "true" : "false", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case IReadOnlyDictionary<string, object?> map:
                Map(emitter, () =>
                {
                    foreach (var (key, item) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        Key(emitter, key);
                        Value(emitter, item);
                    }
                });
                break;
            case IReadOnlyList<object?> list:
                Sequence(emitter, list, item => Value(emitter, item));
                break;
            default:
                // Numbers: the canonical JSON spelling is also a YAML core-schema number.
                var number = new CanonicalJsonWriter().Value(value).ToString();
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, number, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }
}
