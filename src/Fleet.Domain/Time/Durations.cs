using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Domain.Time;

/// <summary>Durations as operators write them: <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>7d</c>, <c>500ms</c>.</summary>
public static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        try
        {
            foreach (Match match in matches)
            {
                var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                duration += match.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(value),
                    "s" => TimeSpan.FromSeconds(value),
                    "m" => TimeSpan.FromMinutes(value),
                    "h" => TimeSpan.FromHours(value),
                    _ => TimeSpan.FromDays(value),
                };
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        return true;
    }

    /// <summary>The shortest exact form: <c>1d2h</c>, <c>45m</c>, <c>90s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (duration.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Days}d");
        }

        if (duration.Hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Hours}h");
        }

        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        if (duration.Seconds > 0 || text.Length == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"(\d{1,9}(?:\.\d{1,9})?)(ms|s|m|h|d)")]
    private static partial Regex Part();
}
