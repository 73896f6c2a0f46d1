namespace Fleet.Domain.Rendering;

/// <summary>File permission bits as the spec allows them (<c>644</c>, <c>0644</c>) and as agents receive them (always four digits).</summary>
public static class FileModes
{
    public const string Default = "0644";

    /// <summary>True for <c>^0?[0-7]{3}$</c>.</summary>
    public static bool IsValid(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var digits = mode.Length == 4 && mode[0] == '0' ? mode[1..] : mode;
        return digits.Length == 3 && digits.All(c => c is >= '0' and <= '7');
    }

    /// <summary>Four octal digits; null means the default <c>0644</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is not valid.</exception>
    public static string Normalize(string? mode)
    {
        if (mode is null)
        {
            return Default;
        }

        return IsValid(mode) ? mode.PadLeft(4, '0') : throw new ArgumentException($"'{mode}' is not an octal file mode like 0644", nameof(mode));
    }
}
