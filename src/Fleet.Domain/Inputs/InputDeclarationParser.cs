using System.Globalization;
using System.Text;
using System.Text.Json;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Serialization;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Inputs;

/// <summary>
/// Reads one declaration, <c>TYPE | marker=value ...</c> (<c>integer | default=1 minimum=1 maximum=10</c>), into an
/// <see cref="InputField"/>. A value may be double-quoted to hold spaces (<c>default="hello world"</c>), with <c>\"</c>
/// and <c>\\</c> as its only escapes so regular expressions keep their backslashes. Every problem is reported with its
/// offset into the text, and a field is only built when there is none: a default that does not satisfy its own type and
/// markers would otherwise surface on the first Instance that leaves the input out.
/// </summary>
internal static class InputDeclarationParser
{
    private static readonly string[] Markers =
        ["default", "required", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "description"];

    /// <summary>The field declared by <paramref name="text"/>, or null after adding every problem to <paramref name="errors"/>.</summary>
    public static InputField? Parse(string name, string text, List<InputError> errors)
    {
        var before = errors.Count;
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        var typeEnd = bar < 0 ? text.Length : bar;
        var typeStart = 0;
        while (typeStart < typeEnd && char.IsWhiteSpace(text[typeStart]))
        {
            typeStart++;
        }

        while (typeEnd > typeStart && char.IsWhiteSpace(text[typeEnd - 1]))
        {
            typeEnd--;
        }

        InputType? type = null;
        if (typeStart == typeEnd)
        {
            errors.Add(new InputError(typeStart, $"the type is missing, e.g. 'string' or 'integer | default=1' ({InputTypeParser.Types})"));
        }
        else
        {
            type = InputTypeParser.Parse(text, typeStart, typeEnd, errors);
        }

        var markers = bar < 0 ? [] : ReadMarkers(text, bar + 1, errors);
        if (type is null)
        {
            return null;
        }

        var field = Build(name, type, markers, errors);
        if (errors.Count == before)
        {
            return field;
        }

        // In the order they appear in the text, as every other list of problems is.
        var found = errors.Skip(before).OrderBy(e => e.Offset).ToList();
        errors.RemoveRange(before, found.Count);
        errors.AddRange(found);
        return null;
    }

    /// <summary>Which markers a type takes, for "does not apply" messages and the checks themselves.</summary>
    public static bool Applies(string marker, InputType type) => marker switch
    {
        "default" or "required" or "description" => true,
        "enum" => type.Kind is InputTypeKind.String or InputTypeKind.Integer or InputTypeKind.Number,
        "minimum" or "maximum" => type.Kind is InputTypeKind.Integer or InputTypeKind.Number,
        "pattern" or "minLength" or "maxLength" => type.Kind == InputTypeKind.String,
        "minItems" or "maxItems" => type.Kind == InputTypeKind.List,
        _ => false,
    };

    /// <summary>
    /// A scalar written in a marker, as a value of <paramref name="type"/>: the text itself for strings, a whole number for
    /// integers, a finite number for numbers, <c>true</c>/<c>false</c>, and JSON for lists and maps (checked by the caller).
    /// </summary>
    public static object? ParseValue(InputType type, string text, out string? error)
    {
        error = null;
        switch (type.Kind)
        {
            case InputTypeKind.String:
                return text;
            case InputTypeKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                return integer;
            case InputTypeKind.Number when double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                && double.IsFinite(number):
                return number;
            case InputTypeKind.Boolean when text is "true" or "false":
                return text == "true";
            case InputTypeKind.List or InputTypeKind.Map:
                try
                {
                    return ValueJson.Deserialize(text);
                }
                catch (JsonException e)
                {
                    error = $"must be JSON for a {type}, e.g. {(type.Kind == InputTypeKind.List ? "[\"a\",\"b\"]" : "{\"a\":1}")} ({e.Message})";
                    return null;
                }

            default:
                error = $"must be {InputResolver.Wanted(type)}, not '{text}'";
                return null;
        }
    }

    private static List<InputMarker> ReadMarkers(string text, int start, List<InputError> errors)
    {
        var markers = new List<InputMarker>();
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return markers;
            }

            var keyStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var key = text[keyStart..i];
            if (key.Length == 0)
            {
                errors.Add(new InputError(keyStart, $"expected a marker such as default=V after '|', not '{text[keyStart]}'"));
                return markers;
            }

            if (i >= text.Length || text[i] != '=')
            {
                errors.Add(new InputError(keyStart, $"marker '{key}' needs a value: {key}=VALUE"));
                i = SkipToSpace(text, i);
                continue;
            }

            i++;
            var valueStart = i;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        i++;
                    }

                    builder.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    errors.Add(new InputError(valueStart, $"the quoted value of '{key}' has no closing '\"'"));
                    return markers;
                }

                i++;
                if (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    errors.Add(new InputError(i, $"a space must follow the quoted value of '{key}'"));
                    i = SkipToSpace(text, i);
                    continue;
                }

                value = builder.ToString();
            }
            else
            {
                i = SkipToSpace(text, i);
                value = text[valueStart..i];
                if (value.Length == 0)
                {
                    errors.Add(new InputError(keyStart, $"marker '{key}' needs a value: {key}=VALUE (quote it for an empty string: {key}=\"\")"));
                    continue;
                }
            }

            markers.Add(new InputMarker(key, keyStart, value, valueStart));
        }
    }

    private static int SkipToSpace(string text, int i)
    {
        while (i < text.Length && !char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static InputField Build(string name, InputType type, List<InputMarker> markers, List<InputError> errors)
    {
        var given = new Dictionary<string, InputMarker>(StringComparer.Ordinal);
        foreach (var marker in markers)
        {
            if (!Markers.Contains(marker.Key, StringComparer.Ordinal))
            {
                errors.Add(new InputError(marker.KeyOffset, Suggestions.Closest(marker.Key, Markers) is { } suggestion
                    ? $"unknown marker '{marker.Key}' (did you mean '{suggestion}'?)"
                    : $"unknown marker '{marker.Key}' (markers: {string.Join(", ", Markers)})"));
            }
            else if (!Applies(marker.Key, type))
            {
                errors.Add(new InputError(marker.KeyOffset,
                    $"{marker.Key} does not apply to {type} inputs (they take {string.Join(", ", Markers.Where(m => Applies(m, type)))})"));
            }
            else if (!given.TryAdd(marker.Key, marker))
            {
                errors.Add(new InputError(marker.KeyOffset, $"duplicate marker '{marker.Key}'"));
            }
        }

        var field = new InputField
        {
            Name = name,
            Type = type,
            Required = Flag(given, "required", errors),
            Enum = Enum(given, type, errors),
            Minimum = Bound(given, "minimum", type, errors),
            Maximum = Bound(given, "maximum", type, errors),
            Pattern = Pattern(given, errors),
            MinLength = Count(given, "minLength", errors),
            MaxLength = Count(given, "maxLength", errors),
            MinItems = Count(given, "minItems", errors),
            MaxItems = Count(given, "maxItems", errors),
            Description = given.TryGetValue("description", out var description) ? description.Value : null,
        };
        Ordered(given, "minimum", field.Minimum, "maximum", field.Maximum, errors);
        Ordered(given, "minLength", field.MinLength, "maxLength", field.MaxLength, errors);
        Ordered(given, "minItems", field.MinItems, "maxItems", field.MaxItems, errors);
        if (!given.TryGetValue("default", out var defaultMarker))
        {
            return field;
        }

        if (field.Required)
        {
            errors.Add(new InputError(defaultMarker.KeyOffset, "an input with a default is never missing: leave out either the default or required=true"));
        }

        var parsed = ParseValue(type, defaultMarker.Value, out var parseError);
        if (parseError is not null)
        {
            errors.Add(new InputError(defaultMarker.ValueOffset, $"default {parseError}"));
            return field;
        }

        var value = InputResolver.Check(field, parsed, out var problems);
        foreach (var problem in problems)
        {
            errors.Add(new InputError(defaultMarker.ValueOffset, $"the default does not fit its own declaration: {problem}"));
        }

        return field with { Default = value };
    }

    private static bool Flag(Dictionary<string, InputMarker> given, string key, List<InputError> errors)
    {
        if (!given.TryGetValue(key, out var marker))
        {
            return false;
        }

        if (marker.Value is "true" or "false")
        {
            return marker.Value == "true";
        }

        errors.Add(new InputError(marker.ValueOffset, $"{key} must be true or false, not '{marker.Value}'"));
        return false;
    }

    private static IReadOnlyList<object>? Enum(Dictionary<string, InputMarker> given, InputType type, List<InputError> errors)
    {
        if (!given.TryGetValue("enum", out var marker))
        {
            return null;
        }

        var values = new List<object>();
        foreach (var item in marker.Value.Split(','))
        {
            var text = item.Trim();
            if (text.Length == 0)
            {
                errors.Add(new InputError(marker.ValueOffset, "enum has an empty value: list them as enum=a,b,c"));
                continue;
            }

            var value = ParseValue(type, text, out var error);
            if (value is null)
            {
                errors.Add(new InputError(marker.ValueOffset, $"enum value {error}"));
            }
            else if (values.Any(v => InputValues.Same(v, value)))
            {
                errors.Add(new InputError(marker.ValueOffset, $"enum lists {InputValues.Show(value)} twice"));
            }
            else
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static object? Bound(Dictionary<string, InputMarker> given, string key, InputType type, List<InputError> errors)
    {
        if (!given.TryGetValue(key, out var marker))
        {
            return null;
        }

        var value = ParseValue(type, marker.Value, out var error);
        if (value is null)
        {
            errors.Add(new InputError(marker.ValueOffset, $"{key} {error}"));
        }

        return value;
    }

    private static string? Pattern(Dictionary<string, InputMarker> given, List<InputError> errors)
    {
        if (!given.TryGetValue("pattern", out var marker))
        {
            return null;
        }

        if (CelRegex.Compile(marker.Value, CelLimits.Default, out var error) is null)
        {
            errors.Add(new InputError(marker.ValueOffset, $"pattern: {error}"));
            return null;
        }

        return marker.Value;
    }

    private static int? Count(Dictionary<string, InputMarker> given, string key, List<InputError> errors)
    {
        if (!given.TryGetValue(key, out var marker))
        {
            return null;
        }

        if (int.TryParse(marker.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }

        errors.Add(new InputError(marker.ValueOffset, $"{key} must be a whole number from 0 to {int.MaxValue}, not '{marker.Value}'"));
        return null;
    }

    private static void Ordered(Dictionary<string, InputMarker> given, string lowKey, object? low, string highKey, object? high, List<InputError> errors)
    {
        if (low is not null && high is not null && InputValues.Compare(low, high) > 0)
        {
            errors.Add(new InputError(given[highKey].KeyOffset, $"{highKey} {InputValues.Show(high)} is less than {lowKey} {InputValues.Show(low)}: no value could satisfy both"));
        }
    }
}
