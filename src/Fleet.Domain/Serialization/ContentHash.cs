using System.Security.Cryptography;
using System.Text;

namespace Fleet.Domain.Serialization;

/// <summary>The content hashes the hub and agents compare: <c>sha256:</c> and the lowercase hex SHA-256 of the UTF-8 text.</summary>
public static class ContentHash
{
    public const string Prefix = "sha256:";

    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
