namespace Fleet.Domain.Validation;

/// <summary>The Kubernetes name syntaxes Fleet reuses, so names and labels move between Fleet and clusters unchanged.</summary>
public static class NameRules
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;

    /// <summary><c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters: target, capability and resource names.</summary>
    public static bool IsDns1123Label(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Length is 0 or > MaxLabelLength || s[0] == '-' || s[^1] == '-')
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Dot-separated DNS-1123 labels, at most 253 characters: the prefix of a label key.</summary>
    public static bool IsDns1123Subdomain(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Length is > 0 and <= MaxSubdomainLength && s.Split('.').All(IsDns1123Label);
    }

    /// <summary>An optional DNS-subdomain prefix and <c>/</c>, then a name of at most 63 characters (<c>app.kubernetes.io/name</c>).</summary>
    public static bool IsLabelKey(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IsQualifiedName(s);
        }

        return IsDns1123Subdomain(s[..slash]) && IsQualifiedName(s[(slash + 1)..]);
    }

    /// <summary>Empty, or a name of at most 63 characters.</summary>
    public static bool IsLabelValue(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Length == 0 || IsQualifiedName(s);
    }

    // [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters; a second '/' fails here too.
    private static bool IsQualifiedName(string s)
    {
        if (s.Length is 0 or > MaxLabelLength || !char.IsAsciiLetterOrDigit(s[0]) || !char.IsAsciiLetterOrDigit(s[^1]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
