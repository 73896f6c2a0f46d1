using System.Text.Json;
using Fleet.Domain.Model;
using static Fleet.Domain.Serialization.CapabilitySpecJson;

namespace Fleet.Domain.Serialization;

/// <summary>
/// The canonical JSON of the <c>manifest</c> and <c>exec</c> resource kinds and of <c>readyWhen</c> and <c>includeWhen</c>. Each is written
/// only when present, so the canonical form (and so the revision identity) of file-only capabilities is unchanged.
/// </summary>
internal static class ResourceKindJson
{
    public static void Write(CanonicalJsonWriter w, ResourceSpec resource)
    {
        if (resource.Manifest is { } manifest)
        {
            w.Name("manifest").Value(manifest.Object);
        }

        if (resource.Exec is { } exec)
        {
            w.Name("exec").StartObject();
            Argv(w, "command", exec.Command);
            if (exec.Stdin is not null)
            {
                w.Name("stdin").String(exec.Stdin);
            }

            if (exec.Env.Count > 0)
            {
                w.Name("env").StartObject();
                foreach (var (key, value) in exec.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.Name(key).String(value);
                }

                w.EndObject();
            }

            if (exec.TimeoutSeconds is { } timeout)
            {
                w.Name("timeoutSeconds").Number(timeout);
            }

            if (exec.Check is { } check)
            {
                Argv(w, "check", check);
            }

            if (exec.Delete is { } delete)
            {
                Argv(w, "delete", delete);
            }

            w.EndObject();
        }

        if (resource.ReadyWhen.Count > 0)
        {
            Argv(w, "readyWhen", resource.ReadyWhen);
        }

        if (resource.IncludeWhen.Count > 0)
        {
            Argv(w, "includeWhen", resource.IncludeWhen);
        }
    }

    /// <summary>Reads the kinds <see cref="Write"/> wrote into <paramref name="resource"/>.</summary>
    public static ResourceSpec Read(JsonElement element, ResourceSpec resource)
    {
        ManifestSpec? manifest = null;
        if (Optional(element, "manifest") is { } m)
        {
            manifest = new ManifestSpec
            {
                Object = ValueJson.Convert(Object(m, "manifest")) as IReadOnlyDictionary<string, object?>
                    ?? throw new JsonException("manifest must be a JSON object"),
            };
        }

        ExecSpec? exec = null;
        if (Optional(element, "exec") is { } e)
        {
            var execElement = Object(e, "exec");
            var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (Optional(execElement, "env") is { } envElement)
            {
                foreach (var property in Object(envElement, "exec.env").EnumerateObject())
                {
                    env[property.Name] = String(property.Value, "exec.env");
                }
            }

            exec = new ExecSpec
            {
                Command = Strings(Required(execElement, "command"), "exec.command"),
                Stdin = Optional(execElement, "stdin") is { } s ? String(s, "exec.stdin") : null,
                Env = env,
                TimeoutSeconds = Optional(execElement, "timeoutSeconds") is { } t
                    ? t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var seconds) ? seconds : throw new JsonException("exec.timeoutSeconds must be an integer")
                    : null,
                Check = Optional(execElement, "check") is { } c ? Strings(c, "exec.check") : null,
                Delete = Optional(execElement, "delete") is { } d ? Strings(d, "exec.delete") : null,
            };
        }

        return resource with
        {
            Manifest = manifest,
            Exec = exec,
            ReadyWhen = Optional(element, "readyWhen") is { } r ? Strings(r, "readyWhen") : [],
            IncludeWhen = Optional(element, "includeWhen") is { } i ? Strings(i, "includeWhen") : [],
        };
    }

    private static void Argv(CanonicalJsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.Name(name).StartArray();
        foreach (var item in items)
        {
            w.String(item);
        }

        w.EndArray();
    }

    private static List<string> Strings(JsonElement element, string what) =>
        [.. Array(element, what).Select(x => String(x, what + "[]"))];
}
