using System.Text.Json;
using Fleet.Domain.Model;

namespace Fleet.Domain.Serialization;

/// <summary>
/// The canonical JSON of a <see cref="CapabilitySpec"/>: fixed property order, dictionaries sorted
/// ordinally, absent optional values omitted, no whitespace. Two specs are the same revision exactly
/// when their canonical JSON is equal, and this is the form revisions are stored in.
/// </summary>
public static class CapabilitySpecJson
{
    public static string Serialize(CapabilitySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var w = new CanonicalJsonWriter();
        w.StartObject();
        w.Name("name").String(spec.Name);
        w.Name("version").String(spec.Version);
        if (spec.Inputs is not null)
        {
            w.Name("inputs");
            InputSchemaJson.Write(w, spec.Inputs);
        }

        w.Name("placement").StartObject();
        w.Name("selector");
        WriteSelector(w, spec.Placement.Selector);
        if (spec.Placement.When is not null)
        {
            w.Name("when").String(spec.Placement.When);
        }

        w.EndObject();
        w.Name("resources").StartArray();
        foreach (var resource in spec.Resources)
        {
            w.StartObject();
            w.Name("id").String(resource.Id);
            if (resource.File is { } file)
            {
                w.Name("file").StartObject();
                w.Name("path").String(file.Path);
                w.Name("content").String(file.Content);
                if (file.Mode is not null)
                {
                    w.Name("mode").String(file.Mode);
                }

                w.EndObject();
            }

            ResourceKindJson.Write(w, resource);
            w.EndObject();
        }

        w.EndArray();
        w.Name("rollout");
        RolloutStrategyJson.Write(w, spec.Rollout);
        ValidationsJson.Write(w, spec.Validations);
        w.EndObject();
        return w.ToString();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote.</summary>
    /// <exception cref="JsonException">The text is not a capability spec in this shape.</exception>
    public static CapabilitySpec Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = Object(document.RootElement, "$");
        var placement = Optional(root, "placement") is { } p ? ReadPlacement(Object(p, "placement")) : new PlacementSpec();
        var resources = Optional(root, "resources") is { } r ? ReadResources(r) : [];
        var rollout = Optional(root, "rollout") is { } ro ? RolloutStrategyJson.Read(Object(ro, "rollout")) : new RolloutStrategySpec();
        return new CapabilitySpec
        {
            Name = String(Required(root, "name"), "name"),
            Version = Optional(root, "version") is { } v ? String(v, "version") : "",
            Inputs = Optional(root, "inputs") is { } inputs ? InputSchemaJson.Read(inputs) : null,
            Placement = placement,
            Resources = resources,
            Rollout = rollout,
            Validations = ValidationsJson.Read(root),
        };
    }

    internal static string TriggerText(RolloutTrigger trigger) => trigger switch
    {
        RolloutTrigger.Auto => "auto",
        RolloutTrigger.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "unknown rollout trigger"),
    };

    internal static void WriteSelector(CanonicalJsonWriter w, LabelSelector selector)
    {
        w.StartObject();
        w.Name("matchLabels").StartObject();
        foreach (var (key, value) in selector.MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Name(key).String(value);
        }

        w.EndObject();
        w.Name("matchExpressions").StartArray();
        foreach (var requirement in selector.MatchExpressions)
        {
            w.StartObject();
            w.Name("key").String(requirement.Key);
            w.Name("operator").String(requirement.Operator.ToString());
            w.Name("values").StartArray();
            foreach (var value in requirement.Values)
            {
                w.String(value);
            }

            w.EndArray();
            w.EndObject();
        }

        w.EndArray();
        w.EndObject();
    }

    private static PlacementSpec ReadPlacement(JsonElement placement) => new()
    {
        Selector = Optional(placement, "selector") is { } s ? ReadSelector(Object(s, "placement.selector")) : LabelSelector.Everything,
        When = Optional(placement, "when") is { } when ? String(when, "when") : null,
    };

    internal static LabelSelector ReadSelector(JsonElement element)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Optional(element, "matchLabels") is { } ml)
        {
            foreach (var property in Object(ml, "matchLabels").EnumerateObject())
            {
                labels[property.Name] = String(property.Value, "matchLabels");
            }
        }

        var requirements = new List<LabelSelectorRequirement>();
        if (Optional(element, "matchExpressions") is { } me)
        {
            foreach (var item in Array(me, "matchExpressions"))
            {
                var requirement = Object(item, "matchExpressions[]");
                var op = String(Required(requirement, "operator"), "operator");
                if (!Enum.TryParse<SelectorOperator>(op, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || op != parsed.ToString())
                {
                    throw new JsonException($"unknown selector operator '{op}'");
                }

                var values = Optional(requirement, "values") is { } vs ? Array(vs, "values").Select(x => String(x, "values[]")).ToList() : [];
                requirements.Add(new LabelSelectorRequirement(String(Required(requirement, "key"), "key"), parsed, values));
            }
        }

        return labels.Count == 0 && requirements.Count == 0
            ? LabelSelector.Everything
            : new LabelSelector { MatchLabels = labels, MatchExpressions = requirements };
    }

    private static List<ResourceSpec> ReadResources(JsonElement resources)
    {
        var list = new List<ResourceSpec>();
        foreach (var item in Array(resources, "resources"))
        {
            var resource = Object(item, "resources[]");
            FileSpec? file = null;
            if (Optional(resource, "file") is { } f)
            {
                var fileElement = Object(f, "file");
                file = new FileSpec
                {
                    Path = String(Required(fileElement, "path"), "file.path"),
                    Content = Optional(fileElement, "content") is { } c ? String(c, "file.content") : "",
                    Mode = Optional(fileElement, "mode") is { } m ? String(m, "file.mode") : null,
                };
            }

            list.Add(ResourceKindJson.Read(resource, new ResourceSpec { Id = String(Required(resource, "id"), "id"), File = file }));
        }

        return list;
    }

    internal static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new JsonException($"{what} must be a JSON object");

    internal static JsonElement.ArrayEnumerator Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new JsonException($"{what} must be a JSON array");

    internal static string String(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new JsonException($"{what} must be a JSON string");

    internal static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new JsonException($"missing property '{name}'");

    internal static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
