using System.Globalization;

namespace Fleet.Domain.Model;

/// <summary>A count (<c>3</c>) or a percentage (<c>25%</c>) of some total, as in Kubernetes' maxUnavailable.</summary>
public readonly record struct IntOrPercent(int Value, bool IsPercent)
{
    public static bool TryParse(string text, out IntOrPercent result)
    {
        result = default;
        text = text.Trim();
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        if (percent && value > 100)
        {
            return false;
        }

        result = new IntOrPercent(value, percent);
        return true;
    }

    /// <summary>The absolute number for <paramref name="total"/> items; percentages round up and the result is at least 1.</summary>
    public int Resolve(int total)
    {
        var n = IsPercent ? (int)Math.Ceiling(total * Value / 100.0) : Value;
        return Math.Max(1, n);
    }

    public override string ToString() => IsPercent ? $"{Value}%" : Value.ToString(CultureInfo.InvariantCulture);
}
