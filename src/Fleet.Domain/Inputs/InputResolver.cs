using System.Globalization;
using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Inputs;

/// <summary>
/// Checks plain values against input types and markers, collecting every violation rather than stopping at the first,
/// and builds the resolved value: integers as <c>long</c>, numbers as <c>double</c>, maps sorted by key, object inputs
/// with their defaults applied. The same checks serve an Instance's inputs and a declaration's own default.
/// </summary>
internal sealed class InputResolver
{
    public const string InstanceRoot = "spec.inputs";

    private const string DefaultRoot = "default";

    private readonly string _root;
    private readonly List<InputViolation> _violations = [];

    private InputResolver(string root)
    {
        _root = root;
    }

    public static InputValidation Resolve(InputSchema schema, IReadOnlyDictionary<string, object?>? inputs)
    {
        var resolver = new InputResolver(InstanceRoot);
        var resolved = resolver.ResolveObject(schema, inputs, [], topLevel: true);
        return resolver._violations.Count == 0 && resolved is not null
            ? new InputValidation(resolved, [])
            : new InputValidation(null, [.. resolver._violations.Select(v => v.ToString())]) { Details = resolver._violations };
    }

    /// <summary>
    /// <paramref name="value"/> checked against the type and markers of <paramref name="field"/>: the conformed value, or
    /// null and every problem as a message (prefixed with where inside the value it is, for lists and maps).
    /// </summary>
    public static object? Check(InputField field, object? value, out IReadOnlyList<string> problems)
    {
        var resolver = new InputResolver(DefaultRoot);
        var conformed = resolver.Conform(field.Type, value, []);
        if (resolver._violations.Count == 0 && conformed is not null)
        {
            resolver.CheckMarkers(field, conformed, []);
        }

        problems = [.. resolver._violations.Select(v => v.Path == DefaultRoot ? v.Message : $"{v.Path}: {v.Message}")];
        return problems.Count == 0 ? conformed : null;
    }

    /// <summary>The fields of an object input; an absent object resolves to its defaults, so <c>inputs.db.port</c> always reads.</summary>
    private SortedDictionary<string, object?>? ResolveObject(InputSchema schema, object? given, List<object> segments, bool topLevel)
    {
        var resolved = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        if (given is not null)
        {
            if (!IsStringMap(given))
            {
                Report(segments, InputViolationKind.Value, $"must be a mapping of {(topLevel ? "inputs" : "fields")}, not {InputValues.Describe(given)}");
                return null;
            }

            foreach (var key in ExpressionValues.Keys(given).Order(StringComparer.Ordinal))
            {
                if (schema.Find(key) is null)
                {
                    Report([.. segments, key], InputViolationKind.UnknownKey, UnknownMessage(schema, key, topLevel, segments));
                }
            }
        }

        foreach (var field in schema.Fields)
        {
            List<object> at = [.. segments, field.Name];
            object? value = null;
            if (given is not null && ExpressionValues.TryGetKey(given, field.Name, out var found))
            {
                value = found;
            }

            if (value is not null)
            {
                var conformed = Conform(field.Type, value, at);
                if (conformed is not null)
                {
                    CheckMarkers(field, conformed, at);
                    resolved[field.Name] = conformed;
                }
            }
            else if (field.Type.Kind == InputTypeKind.Object)
            {
                resolved[field.Name] = ResolveObject(field.Type.Fields!, null, at, topLevel: false);
            }
            else if (field.Default is not null)
            {
                resolved[field.Name] = field.Default;
            }
            else if (field.Required)
            {
                Report(at, InputViolationKind.Missing, $"{(topLevel ? "input" : "field")} '{field.Name}' is required");
            }
        }

        return resolved;
    }

    private string UnknownMessage(InputSchema schema, string key, bool topLevel, List<object> segments)
    {
        var names = schema.Fields.Select(f => f.Name).ToList();
        var suggestion = Suggestions.Closest(key, names);
        var what = topLevel ? "input" : "field";
        var of = topLevel ? "inputs of this capability" : $"fields of {InputValues.PathOf(_root, segments)}";
        return suggestion is not null
            ? $"unknown {what} '{key}' (did you mean '{suggestion}'?)"
            : $"unknown {what} '{key}' ({of}: {string.Join(", ", names)})";
    }

    /// <summary>The value in the representation of <paramref name="type"/>, or null (and a violation) when it is not one.</summary>
    private object? Conform(InputType type, object? value, List<object> segments)
    {
        switch (type.Kind)
        {
            case InputTypeKind.String when value is string s:
                return s;
            case InputTypeKind.Integer when ExpressionValues.IsInteger(value) && (value is not ulong u || u <= long.MaxValue):
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case InputTypeKind.Number when ExpressionValues.IsInteger(value):
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case InputTypeKind.Number when value is double or float && double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case InputTypeKind.Boolean when value is bool b:
                return b;
            case InputTypeKind.List when ExpressionValues.IsList(value):
                var count = ExpressionValues.Count(value);
                var list = new List<object?>(count);
                var listFits = true;
                for (var i = 0; i < count; i++)
                {
                    var item = Conform(type.Element!, ExpressionValues.ElementAt(value, i), [.. segments, i]);
                    listFits &= item is not null;
                    list.Add(item);
                }

                return listFits ? list : null;
            case InputTypeKind.Map when IsStringMap(value):
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                var mapFits = true;
                foreach (var key in ExpressionValues.Keys(value).Order(StringComparer.Ordinal))
                {
                    ExpressionValues.TryGetKey(value, key, out var entry);
                    var item = Conform(type.Element!, entry, [.. segments, key]);
                    mapFits &= item is not null;
                    map[key] = item;
                }

                return mapFits ? map : null;
            case InputTypeKind.Object when value is not null:
                var before = _violations.Count;
                var fields = ResolveObject(type.Fields!, value, segments, topLevel: false);
                return _violations.Count == before ? fields : null;
            default:
                Report(segments, InputViolationKind.Value, $"must be {Wanted(type)}, not {InputValues.Describe(value)}");
                return null;
        }
    }

    /// <summary>The markers of <paramref name="field"/> on a value already of its type.</summary>
    private void CheckMarkers(InputField field, object value, List<object> segments)
    {
        if (field.Enum is { } allowed && !allowed.Any(a => InputValues.Same(a, value)))
        {
            Report(segments, InputViolationKind.Value, $"{InputValues.Show(value)} is not one of {string.Join(", ", allowed.Select(InputValues.Show))}");
        }

        if (field.Minimum is { } minimum && InputValues.Compare(value, minimum) < 0)
        {
            Report(segments, InputViolationKind.Value, $"{InputValues.Show(value)} is less than the minimum {InputValues.Show(minimum)}");
        }

        if (field.Maximum is { } maximum && InputValues.Compare(value, maximum) > 0)
        {
            Report(segments, InputViolationKind.Value, $"{InputValues.Show(value)} is more than the maximum {InputValues.Show(maximum)}");
        }

        if (value is string text)
        {
            var length = InputValues.CodePoints(text);
            if (field.MinLength is { } minLength && length < minLength)
            {
                Report(segments, InputViolationKind.Value, $"{InputValues.Show(text)} is {Characters(length)} long, shorter than the minimum length {minLength}");
            }

            if (field.MaxLength is { } maxLength && length > maxLength)
            {
                Report(segments, InputViolationKind.Value, $"{InputValues.Show(text)} is {Characters(length)} long, longer than the maximum length {maxLength}");
            }

            if (field.Pattern is { } pattern && PatternProblem(pattern, text) is { } problem)
            {
                Report(segments, InputViolationKind.Value, problem);
            }
        }

        if (ExpressionValues.IsList(value))
        {
            var count = ExpressionValues.Count(value);
            if (field.MinItems is { } minItems && count < minItems)
            {
                Report(segments, InputViolationKind.Value, $"has {Items(count)}, fewer than the minimum {minItems}");
            }

            if (field.MaxItems is { } maxItems && count > maxItems)
            {
                Report(segments, InputViolationKind.Value, $"has {Items(count)}, more than the maximum {maxItems}");
            }
        }
    }

    /// <summary>Why <paramref name="text"/> does not match <paramref name="pattern"/> (RE2, anywhere in the text, as CEL's <c>matches</c>); null when it does.</summary>
    private static string? PatternProblem(string pattern, string text)
    {
        var regex = CelRegex.Compile(pattern, CelLimits.Default, out var error);
        if (regex is null)
        {
            return error;
        }

        return CelRegex.IsMatch(regex, text) switch
        {
            true => null,
            CelError timeout => $"could not be checked against the pattern {pattern}: {timeout.Message}",
            _ => $"{InputValues.Show(text)} does not match the pattern {pattern}",
        };
    }

    internal static string Wanted(InputType type) => type.Kind switch
    {
        InputTypeKind.String => "a string",
        InputTypeKind.Integer => "an integer",
        InputTypeKind.Number => "a number",
        InputTypeKind.Boolean => "a boolean (true or false)",
        InputTypeKind.List => $"a list ({type})",
        InputTypeKind.Map => $"a mapping ({type})",
        _ => "a mapping of fields",
    };

    private static bool IsStringMap(object? value) =>
        value is IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<string, string>;

    private static string Characters(int n) => n == 1 ? "1 character" : $"{n} characters";

    private static string Items(int n) => n == 1 ? "1 item" : $"{n} items";

    private void Report(List<object> segments, InputViolationKind kind, string message) =>
        _violations.Add(new InputViolation(InputValues.PathOf(_root, segments), message) { Segments = [.. segments], Kind = kind });
}
