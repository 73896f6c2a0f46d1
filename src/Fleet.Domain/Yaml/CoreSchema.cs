using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>
/// The YAML 1.2 core schema for plain scalars, which manifests need because a Kubernetes object is typed
/// (<c>replicas: 3</c> is a number, <c>"3"</c> a string). Everything else in a Fleet document stays text as written.
/// The 1.1 spellings <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> stay strings, as in the core schema: an environment
/// value of <c>yes</c> then reaches the cluster as the string the author most likely meant.
/// </summary>
internal static partial class CoreSchema
{
    /// <summary>The scalar's value: <c>null</c>, <c>bool</c>, <c>long</c>, <c>double</c> or the string; an error for a number JSON cannot hold.</summary>
    public static object? Resolve(DocScalar scalar, out string? error)
    {
        error = null;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return scalar.Value;
        }

        var text = scalar.Value;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (DecimalInteger().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return integer;
            }

            error = $"integer {text} does not fit in 64 bits";
            return null;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2 && HexDigits().IsMatch(text[2..]))
        {
            if (long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
            {
                return hex;
            }

            error = $"integer {text} does not fit in 63 bits";
            return null;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
        {
            long value = 0;
            foreach (var c in text[2..])
            {
                if (value > (long.MaxValue >> 3))
                {
                    error = $"integer {text} does not fit in 63 bits";
                    return null;
                }

                value = (value << 3) + (c - '0');
            }

            return value;
        }

        if (NotANumber().IsMatch(text) || NonFinite().IsMatch(text))
        {
            error = $"{text} is not a number JSON can hold (quote it to mean the text)";
            return null;
        }

        if (FiniteFloat().IsMatch(text))
        {
            var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsFinite(number))
            {
                return number;
            }

            error = $"{text} is out of the range of a double";
            return null;
        }

        return text;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexDigits();

    [GeneratedRegex(@"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex FiniteFloat();

    [GeneratedRegex(@"^[-+]?\.(?:inf|Inf|INF)$")]
    private static partial Regex NonFinite();

    [GeneratedRegex(@"^\.(?:nan|NaN|NAN)$")]
    private static partial Regex NotANumber();
}
