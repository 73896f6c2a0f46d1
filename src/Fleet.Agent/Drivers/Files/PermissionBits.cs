namespace Fleet.Agent.Drivers.Files;

/// <summary>Parses the octal <c>mode</c> of a file resource.</summary>
internal static class PermissionBits
{
    public const string Default = "0644";

    private const int Max = 0x1FF; // 0777

    /// <summary>
    /// Parses <paramref name="text"/> (empty means <see cref="Default"/>) into a mode and its canonical four-digit
    /// spelling, or returns an error. Only permission bits are accepted: setuid, setgid and sticky bits from a remote
    /// hub would turn a file delivery into a privilege grant.
    /// </summary>
    public static string? Parse(string text, out UnixFileMode mode, out string canonical)
    {
        mode = default;
        canonical = "";
        var digits = text.Length == 0 ? Default : text;
        if (digits.Length is < 3 or > 4 || !digits.All(c => c is >= '0' and <= '7'))
        {
            return $"mode \"{text}\" is not an octal permission like 0644";
        }

        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 8) + (c - '0');
        }

        if (value > Max)
        {
            return $"mode \"{text}\": only permission bits 0000-0777 are allowed (no setuid, setgid or sticky)";
        }

        mode = (UnixFileMode)value;
        canonical = Format(mode);
        return null;
    }

    /// <summary>The canonical spelling of a mode, e.g. <c>0644</c> (<c>04755</c> with a setuid bit someone set on disk).</summary>
    public static string Format(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
