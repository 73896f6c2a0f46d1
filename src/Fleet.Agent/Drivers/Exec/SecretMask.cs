namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// Masks the values of a resource's <c>env</c> in what its command printed. Env is how secrets reach a command (a
/// token, a password), and a script that echoes one, or fails printing it, must not carry it into the status message
/// and observed state that the hub stores and shows to every viewer.
/// </summary>
internal static class SecretMask
{
    public const string Mask = "***";

    /// <summary>
    /// Shorter values are left alone: they are flags, counts and names ("1", "yes", "dev") that masking would blank out
    /// of ordinary output wherever they occur, and too short to be credentials.
    /// </summary>
    public const int MinLength = 4;

    /// <summary>The env values worth masking, longest first so that one containing another is masked whole.</summary>
    public static IReadOnlyCollection<string> Values(IEnumerable<string> env) =>
        [.. env.Where(v => v.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];

    public static string Apply(string text, IReadOnlyCollection<string> secrets)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        // A tail (see OutputTail) that was cut inside a secret starts with the secret's end: that part is masked too.
        const string cut = "…";
        if (!text.StartsWith(cut, StringComparison.Ordinal))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            for (var length = secret.Length - 1; length > 0; length--)
            {
                if (text.AsSpan(cut.Length).StartsWith(secret.AsSpan(secret.Length - length), StringComparison.Ordinal))
                {
                    return cut + Mask + text[(cut.Length + length)..];
                }
            }
        }

        return text;
    }
}
