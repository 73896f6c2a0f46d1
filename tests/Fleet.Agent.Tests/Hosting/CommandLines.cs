using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>
/// Command lines for the parse tests, in a scratch directory: a valid one to vary flag by flag, and placeholders for
/// real paths in it — <c>{file}</c> (a regular file), <c>{absent}</c> (nothing there), <c>{cert}</c> (a PEM certificate).
/// </summary>
internal sealed class CommandLines : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CommandLines()
    {
        File.WriteAllText(RegularFile, "not a certificate, not a directory\n");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=fleet test CA", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Certificate, certificate.ExportCertificatePem());
    }

    public static string[] Plaintext => ["--hub", "http://127.0.0.1:7400", "--insecure", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"];

    public static string[] Secure => ["--hub", "https://hub.example.com:7400", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"];

    public string RegularFile => Path.Combine(_dir.Path, "file");

    public string Absent => Path.Combine(_dir.Path, "absent");

    public string Certificate => Path.Combine(_dir.Path, "ca.crt");

    /// <summary>
    /// <paramref name="baseline"/> with each flag of <paramref name="changes"/> set to the value after it (a flag the
    /// baseline has gets its value replaced; <c>-</c> as the value removes the flag), placeholders filled in.
    /// </summary>
    public string[] With(string[] baseline, params string[] changes)
    {
        var args = baseline.ToList();
        for (var i = 0; i < changes.Length; i++)
        {
            var flag = changes[i];
            var value = i + 1 < changes.Length && !changes[i + 1].StartsWith("--", StringComparison.Ordinal) ? changes[++i] : null;
            var at = args.IndexOf(flag);
            if (value == "-")
            {
                args.RemoveRange(at, at + 1 < args.Count && !args[at + 1].StartsWith("--", StringComparison.Ordinal) ? 2 : 1);
            }
            else if (at >= 0 && value is not null && at + 1 < args.Count && !args[at + 1].StartsWith("--", StringComparison.Ordinal))
            {
                args[at + 1] = Fill(value);
            }
            else
            {
                args.Add(flag);
                if (value is not null)
                {
                    args.Add(Fill(value));
                }
            }
        }

        return [.. args];
    }

    public string Fill(string value) => value
        .Replace("{file}", RegularFile, StringComparison.Ordinal)
        .Replace("{absent}", Absent, StringComparison.Ordinal)
        .Replace("{cert}", Certificate, StringComparison.Ordinal);

    public void Dispose() => _dir.Dispose();
}
