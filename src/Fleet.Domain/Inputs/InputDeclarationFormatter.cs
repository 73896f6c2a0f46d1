using System.Globalization;
using System.Text;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Inputs;

/// <summary>
/// Writes a field back as the declaration an operator would write (<c>integer | default=1 minimum=1</c>), for
/// <c>fleet describe</c>: <see cref="InputDeclarationParser"/> reads the text back to an equal field.
/// </summary>
internal static class InputDeclarationFormatter
{
    public static string Format(InputField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var markers = new List<string>();
        if (field.Required)
        {
            markers.Add("required=true");
        }

        if (field.Default is { } value)
        {
            markers.Add("default=" + Quoted(Value(value)));
        }

        if (field.Enum is { } allowed)
        {
            // Items never hold a comma: they were read by splitting at commas.
            markers.Add("enum=" + Quoted(string.Join(",", allowed.Select(Value))));
        }

        Add(markers, "minimum", field.Minimum is null ? null : Value(field.Minimum));
        Add(markers, "maximum", field.Maximum is null ? null : Value(field.Maximum));
        Add(markers, "pattern", field.Pattern);
        Add(markers, "minLength", Count(field.MinLength));
        Add(markers, "maxLength", Count(field.MaxLength));
        Add(markers, "minItems", Count(field.MinItems));
        Add(markers, "maxItems", Count(field.MaxItems));
        Add(markers, "description", field.Description);
        return markers.Count == 0 ? field.Type.ToString() : $"{field.Type} | {string.Join(' ', markers)}";
    }

    private static void Add(List<string> markers, string key, string? value)
    {
        if (value is not null)
        {
            markers.Add($"{key}={Quoted(value)}");
        }
    }

    private static string? Count(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    /// <summary>A value as a marker reads it: strings as they are, numbers in their shortest exact form, lists and maps as JSON.</summary>
    private static string Value(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => ValueJson.Serialize(value),
    };

    /// <summary>Quotes a value that would not read back plainly: empty, with white space, or starting with a quote.</summary>
    private static string Quoted(string value)
    {
        if (value.Length > 0 && value[0] != '"' && !value.Any(char.IsWhiteSpace))
        {
            return value;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
