using System.Globalization;
using System.Text;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>Text conversions with CEL's spelling: what <c>string(x)</c> gives and what <c>int("...")</c> and friends accept.</summary>
internal static class CelFormat
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A double as the reference implementation writes it (Go's shortest <c>%g</c>): plain notation for
    /// exponents from -4 to 5, otherwise <c>d.ddde+XX</c>; <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.
    /// </summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        // "E16" would not be the shortest form; "R" is, so take its digits and exponent and re-spell them.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        var body = negative ? r[1..] : r;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var point = body.IndexOf('.');
        var digits = point < 0 ? body : body[..point] + body[(point + 1)..];
        var pointPosition = (point < 0 ? body.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointPosition -= leading;
        if (digits.Length == 0)
        {
            return negative ? "-0" : "0";
        }

        var decimalExponent = pointPosition - 1;
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            builder.Append(digits[0]);
            if (digits.Length > 1)
            {
                builder.Append('.').Append(digits, 1, digits.Length - 1);
            }

            builder.Append('e').Append(decimalExponent < 0 ? '-' : '+');
            builder.Append(Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (pointPosition <= 0)
        {
            builder.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition >= digits.Length)
        {
            builder.Append(digits).Append('0', pointPosition - digits.Length);
        }
        else
        {
            builder.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }

        return builder.ToString();
    }

    /// <summary><c>string(x)</c> for a scalar, or null when there is no such conversion.</summary>
    public static string? ToText(object? value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => Double(d),
        CelType t => t.Name,
        _ => null,
    };

    public static bool TryDecodeUtf8(CelBytes bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes.Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    public static bool TryParseInt(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseUint(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Decimal or exponent notation, or the names of the special values (<c>NaN</c>, <c>Inf</c>, <c>-Infinity</c>, any case).</summary>
    public static bool TryParseDouble(string text, out double value)
    {
        var unsigned = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        var sign = text.StartsWith('-') ? -1.0 : 1.0;
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out value) && unsigned.Length > 0 && char.IsAsciiDigit(unsigned[0]) | unsigned[0] == '.';
    }

    /// <summary>The spellings Go's ParseBool accepts, as the reference implementation does.</summary>
    public static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };
}
