using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Enrollment;

/// <summary>
/// The agent's key and certificate in <c>--state-dir/identity/</c>. The key is created 0600 and
/// written before the certificate, each atomically (temporary file, then rename), so a crash never
/// leaves a certificate whose key is missing.
/// </summary>
internal sealed class AgentIdentityStore(string stateDirectory)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = Path.Combine(stateDirectory, "identity");

    public string KeyPath => Path.Combine(Directory, "agent.key");

    public string CertificatePath => Path.Combine(Directory, "agent.crt");

    public X509Certificate2? Load()
    {
        if (!File.Exists(KeyPath) || !File.Exists(CertificatePath))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A torn or mismatched pair: as good as none; enrollment makes a new one.
            return null;
        }
    }

    public void Save(string keyPem, string certificatePem)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnly | UnixFileMode.UserExecute);
        }

        Write(KeyPath, keyPem, OwnerOnly);
        Write(CertificatePath, certificatePem, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
