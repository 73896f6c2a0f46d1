using System.Text.Json;
using Fleet.Domain.Inputs;
using static Fleet.Domain.Serialization.CapabilitySpecJson;

namespace Fleet.Domain.Serialization;

/// <summary>
/// The canonical JSON of <c>spec.inputs</c>: inputs by name in ordinal order, each with its type as written
/// (<c>"[]map[string]integer"</c>, or <c>"object"</c> with its <c>fields</c>) and then its markers in a fixed order,
/// each only when present. Written only for a capability with inputs, so the revisions of others hash as before.
/// </summary>
internal static class InputSchemaJson
{
    private const string ObjectType = "object";

    public static void Write(CanonicalJsonWriter w, InputSchema schema)
    {
        w.StartObject();
        foreach (var field in schema.Fields)
        {
            w.Name(field.Name).StartObject();
            w.Name("type").String(field.Type.ToString());
            if (field.Type.Fields is { } fields)
            {
                w.Name("fields");
                Write(w, fields);
            }

            if (field.Required)
            {
                w.Name("required").Bool(true);
            }

            if (field.Default is not null)
            {
                w.Name("default").Value(field.Default);
            }

            if (field.Enum is { } allowed)
            {
                w.Name("enum").StartArray();
                foreach (var value in allowed)
                {
                    w.Value(value);
                }

                w.EndArray();
            }

            WriteOptional(w, "minimum", field.Minimum);
            WriteOptional(w, "maximum", field.Maximum);
            WriteOptional(w, "pattern", field.Pattern);
            WriteOptional(w, "minLength", field.MinLength);
            WriteOptional(w, "maxLength", field.MaxLength);
            WriteOptional(w, "minItems", field.MinItems);
            WriteOptional(w, "maxItems", field.MaxItems);
            WriteOptional(w, "description", field.Description);
            w.EndObject();
        }

        w.EndObject();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; values come back in the representation of their field's type.</summary>
    /// <exception cref="JsonException">The element is not an input schema in this shape.</exception>
    public static InputSchema Read(JsonElement element) => Read(element, "inputs", 1);

    private static InputSchema Read(JsonElement element, string path, int level)
    {
        if (level > InputSchema.MaxDepth)
        {
            throw new JsonException($"{path}: inputs nest more than {InputSchema.MaxDepth} levels deep");
        }

        var fields = new List<InputField>();
        foreach (var property in Object(element, path).EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var item = Object(property.Value, at);
            var typeText = String(Required(item, "type"), at + ".type");
            InputType type;
            if (typeText == ObjectType)
            {
                type = InputType.ObjectOf(Read(Required(item, "fields"), at, level + 1));
            }
            else
            {
                var errors = new List<InputError>();
                type = InputTypeParser.Parse(typeText, 0, typeText.Length, errors)
                    ?? throw new JsonException($"{at}.type: {errors[0].Message}");
            }

            fields.Add(new InputField
            {
                Name = property.Name,
                Type = type,
                Required = Optional(item, "required") is { } required && required.ValueKind == JsonValueKind.True,
                Default = Optional(item, "default") is { } value ? Typed(type, value, at + ".default") : null,
                Enum = Optional(item, "enum") is { } allowed
                    ? [.. Array(allowed, at + ".enum").Select(v => Typed(type, v, at + ".enum[]"))]
                    : null,
                Minimum = Optional(item, "minimum") is { } minimum ? Typed(type, minimum, at + ".minimum") : null,
                Maximum = Optional(item, "maximum") is { } maximum ? Typed(type, maximum, at + ".maximum") : null,
                Pattern = Optional(item, "pattern") is { } pattern ? String(pattern, at + ".pattern") : null,
                MinLength = Count(item, "minLength", at),
                MaxLength = Count(item, "maxLength", at),
                MinItems = Count(item, "minItems", at),
                MaxItems = Count(item, "maxItems", at),
                Description = Optional(item, "description") is { } description ? String(description, at + ".description") : null,
            });
        }

        try
        {
            return new InputSchema(fields);
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"{path}: {e.Message}");
        }
    }

    /// <summary>A stored value in the representation of <paramref name="type"/>: a JSON <c>1</c> for a number input is the double 1.0.</summary>
    private static object Typed(InputType type, JsonElement element, string path)
    {
        // Against the bare type: a bound or an enum value need not satisfy the other markers.
        return InputResolver.Check(new InputField { Name = "", Type = type }, ValueJson.Convert(element), out var problems)
            ?? throw new JsonException($"{path}: {string.Join("; ", problems)}");
    }

    private static int? Count(JsonElement item, string name, string path) =>
        Optional(item, name) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
                ? count
                : throw new JsonException($"{path}.{name} must be a whole number of at least 0")
            : null;

    private static void WriteOptional(CanonicalJsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                w.Name(name).String(text);
                return;
            case int count:
                w.Name(name).Number(count);
                return;
            default:
                w.Name(name).Value(value);
                return;
        }
    }
}
