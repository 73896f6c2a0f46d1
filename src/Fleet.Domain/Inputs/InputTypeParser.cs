using Fleet.Domain.Validation;

namespace Fleet.Domain.Inputs;

/// <summary>
/// The type grammar of a declaration: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>[]T</c> and
/// <c>map[string]T</c>, nested (<c>[]map[string]integer</c>). Objects are YAML mappings, so they never appear here.
/// It reads prefixes in a loop rather than recursing, so a hostile <c>[][][]...</c> costs an error, not the stack.
/// </summary>
internal static class InputTypeParser
{
    public const string Types = "string, integer, number, boolean, []T, map[string]T (an object is a mapping of its fields)";

    private static readonly string[] ScalarNames = ["string", "integer", "number", "boolean"];

    /// <summary>The type written in <paramref name="text"/> from <paramref name="start"/> to <paramref name="end"/>; null after adding the errors.</summary>
    public static InputType? Parse(string text, int start, int end, List<InputError> errors)
    {
        var wrappers = new List<InputTypeKind>();
        var i = start;
        while (true)
        {
            if (string.CompareOrdinal(text, i, "[]", 0, 2) == 0 && i + 2 <= end)
            {
                wrappers.Add(InputTypeKind.List);
                i += 2;
            }
            else if (string.CompareOrdinal(text, i, "map[", 0, 4) == 0 && i + 4 <= end)
            {
                var close = text.IndexOf(']', i + 4, end - (i + 4));
                if (close < 0)
                {
                    errors.Add(new InputError(i, "map[ needs its closing ']': write map[string]T"));
                    return null;
                }

                var key = text[(i + 4)..close];
                if (key != "string")
                {
                    errors.Add(new InputError(i + 4, $"map keys must be strings: write map[string]T, not map[{key}]"));
                    return null;
                }

                wrappers.Add(InputTypeKind.Map);
                i = close + 1;
            }
            else
            {
                break;
            }

            if (wrappers.Count >= InputSchema.MaxDepth)
            {
                errors.Add(new InputError(start, $"the type nests more than {InputSchema.MaxDepth - 1} lists and maps"));
                return null;
            }
        }

        var name = text[i..end];
        InputType? type = name switch
        {
            "string" => InputType.String,
            "integer" => InputType.Integer,
            "number" => InputType.Number,
            "boolean" => InputType.Boolean,
            _ => null,
        };
        if (type is null)
        {
            errors.Add(new InputError(i, name.Length == 0
                ? wrappers.Count > 0 ? $"the type of the {(wrappers[^1] == InputTypeKind.List ? "items" : "values")} is missing ({Types})" : $"the type is missing ({Types})"
                : Suggestions.Closest(name, ScalarNames) is { } suggestion
                    ? $"unknown type '{name}' (did you mean '{suggestion}'?)"
                    : $"unknown type '{name}' (types: {Types})"));
            return null;
        }

        for (var w = wrappers.Count - 1; w >= 0; w--)
        {
            type = wrappers[w] == InputTypeKind.List ? InputType.ListOf(type) : InputType.MapOf(type);
        }

        return type;
    }
}
