using System.Net;
using System.Security.Cryptography.X509Certificates;
using Fleet.Hub.Security;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// The files a deploy file's arguments name (the hub's operator CA, the agent's trusted CA and enrollment
/// token, an operator serving certificate), made real under a temp directory that stands in for the pod's or host's filesystem: every
/// absolute path in the arguments is moved under it, and the files the file flags name are written there,
/// as the Secrets would provide them. The parsers check these files (existence, PEM), so a test of the
/// arguments needs them.
/// </summary>
internal sealed class DeployFiles : IDisposable
{
    public const string EnrollmentToken = "fleet-agent-enrollment-token-for-tests";

    private static readonly string[] FileFlags = ["--ca-cert", "--ca-key", "--tls-cert", "--tls-key", "--ca", "--token-file", "--postgres-file"];

    private readonly X509Certificate2 _ca = CertificateFactory.CreateCa("deploy test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));

    // What a --tls-cert stands for: a serving certificate of the same CA, for the loopback address tests reach the hub on.
    private readonly Lazy<X509Certificate2> _serving;

    public DeployFiles(string root)
    {
        Root = root;
        _serving = new Lazy<X509Certificate2>(() => CertificateFactory.CreateServing(_ca, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow, TimeSpan.FromDays(1)));
    }

    public string Root { get; }

    /// <summary>What a --postgres-file holds: a connection string to a database of the test's own server.</summary>
    public string? PostgresConnection { get; init; }

    /// <summary>Where <paramref name="path"/> (absolute, inside the pod or host) is on this machine.</summary>
    public string Map(string path) => Path.Combine(Root, path.TrimStart('/'));

    /// <summary>The arguments with every absolute path under <see cref="Root"/> and the files they name written.</summary>
    public string[] Materialize(IReadOnlyList<string> args)
    {
        var mapped = args.Select(arg => arg.StartsWith('/') ? Map(arg) : arg).ToArray();
        for (var i = 0; i + 1 < mapped.Length; i++)
        {
            if (FileFlags.Contains(mapped[i], StringComparer.Ordinal))
            {
                Write(mapped[i], mapped[i + 1]);
            }
        }

        return mapped;
    }

    public void Dispose()
    {
        if (_serving.IsValueCreated)
        {
            _serving.Value.Dispose();
        }

        _ca.Dispose();
    }

    private void Write(string flag, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (flag)
        {
            case "--ca-key" or "--tls-key":
                using (var key = (flag == "--ca-key" ? _ca : _serving.Value).GetECDsaPrivateKey()!)
                {
                    WriteOwnerOnly(path, key.ExportPkcs8PrivateKeyPem());
                }

                break;
            case "--postgres-file":
                WriteOwnerOnly(path, (PostgresConnection ?? throw new InvalidOperationException("--postgres-file needs PostgresConnection")) + "\n");
                break;
            case "--token-file":
                File.WriteAllText(path, EnrollmentToken + "\n");
                break;
            case "--tls-cert":
                File.WriteAllText(path, _serving.Value.ExportCertificatePem());
                break;
            default:
                File.WriteAllText(path, _ca.ExportCertificatePem());
                break;
        }
    }

    /// <summary>What the hub's init container makes of a Secret's key or connection string: owner-only.</summary>
    private static void WriteOwnerOnly(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
