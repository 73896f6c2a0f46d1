using System.Security.Cryptography;
using System.Text;

namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// The id git gives a file's content (<c>git hash-object</c>): the hash of <c>blob SIZE\0</c> and the bytes. Computed
/// here so that drift is told by comparing ids from one <c>git ls-tree</c>, without a process per file.
/// </summary>
internal static class GitBlob
{
    public static string Id(ReadOnlySpan<byte> content, string objectFormat)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        var bytes = new byte[header.Length + content.Length];
        header.CopyTo(bytes, 0);
        content.CopyTo(bytes.AsSpan(header.Length));
        return Convert.ToHexStringLower(objectFormat == "sha256" ? SHA256.HashData(bytes) : SHA1.HashData(bytes));
    }
}
