using System.Security.Cryptography;
using System.Text;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens look like <c>fleet_&lt;id&gt;_&lt;secret&gt;</c>. The id is public (it names the token in the
/// audit log and in <c>fleet token list</c>) and finds the stored record; the 256-bit secret is
/// stored only as its SHA-256. A slow password hash would add nothing for a random secret of this size.
/// The fixed prefix lets secret scanners recognise a leaked token.
/// </summary>
internal static class TokenCodec
{
    public const string Prefix = "fleet_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;
    private const int IdLength = IdBytes * 2;
    private const int SecretLength = 43;

    public static (string Token, string Id, byte[] Hash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return ($"{Prefix}{id}_{secret}", id, Hash(secret));
    }

    /// <summary>Splits a presented token; null when it is not even shaped like one.</summary>
    public static (string Id, byte[] Hash)? Parse(string? token)
    {
        if (token is null || token.Length != Prefix.Length + IdLength + 1 + SecretLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = token.Substring(Prefix.Length, IdLength);
        var separator = token[Prefix.Length + IdLength];
        var secret = token[(Prefix.Length + IdLength + 1)..];
        if (separator != '_' || !id.All(char.IsAsciiHexDigitLower) || !secret.All(IsBase64Url))
        {
            return null;
        }

        return (id, Hash(secret));
    }

    /// <summary>The public id of a token, for logs and audit; never any part of the secret.</summary>
    public static string? IdOf(string? token) => Parse(token)?.Id;

    public static bool Matches(byte[] storedHash, byte[] presentedHash) =>
        CryptographicOperations.FixedTimeEquals(storedHash, presentedHash);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
