using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fleet.Hub.Hosting;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Security;

/// <summary>
/// The hub's key material on disk. Its own files (in the data directory) are written owner-only from
/// the start and replaced atomically (<see cref="OwnerOnlyFiles"/>). The operator's files (--tls-cert,
/// --tls-key, --ca-cert, --ca-key) are only read, never changed: a key file others can read, or a file
/// that is not PEM, is refused with a message saying what to do, as ssh does.
/// </summary>
internal static class PkiFiles
{
    // Certificates and keys are a few KiB; this bounds what a wrong path (a device, a log) makes us read.
    private const int MaxPemBytes = 1024 * 1024;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void WriteSecret(string path, string text) => OwnerOnlyFiles.Write(path, text, OwnerOnlyFiles.File600);

    public static void WritePublic(string path, string text) => OwnerOnlyFiles.Write(path, text, OwnerOnlyFiles.File644);

    /// <summary>Narrows one of the hub's own key files to 0600 (never through a link); true when it did.</summary>
    public static bool RestrictOwn(string path) => OwnerOnlyFiles.Restrict(path);

    public static void CreatePrivateDirectory(string path) => OwnerOnlyFiles.CreateDirectory(path);

    /// <summary>
    /// The operator's certificate (leaf first, then intermediates) with its private key; every problem is
    /// a <see cref="HubStartupException"/> naming the flag and the file.
    /// </summary>
    public static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) LoadOperator(
        string certificateFlag, string certificatePath, string keyFlag, string keyPath)
    {
        var certificates = ReadPem(certificateFlag, certificatePath);
        if (!HasLabel(certificates, label => label == "CERTIFICATE"))
        {
            throw new HubStartupException($"{certificateFlag} {certificatePath} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)");
        }

        var key = ReadPem(keyFlag, keyPath);
        if (HasLabel(key, label => label == "ENCRYPTED PRIVATE KEY"))
        {
            throw new HubStartupException($"{keyFlag} {keyPath} is encrypted; give the hub an unencrypted PEM key readable by its user only");
        }

        if (!HasLabel(key, label => label is "PRIVATE KEY" or "EC PRIVATE KEY" or "RSA PRIVATE KEY"))
        {
            throw new HubStartupException($"{keyFlag} {keyPath} is not a PEM private key (no -----BEGIN PRIVATE KEY----- block)");
        }

        RefuseShared(keyFlag, keyPath);

        try
        {
            var leaf = X509Certificate2.CreateFromPem(certificates, key);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(certificates);
            return (leaf, new X509Certificate2Collection(chain.Skip(1).ToArray()));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a valid key that is not this certificate's.
            throw new HubStartupException($"{keyFlag} {keyPath} and {certificateFlag} {certificatePath} do not load as a certificate with its key: {e.Message}", e);
        }
    }

    /// <summary>Refuses a secret the operator gave (<paramref name="flag"/> <paramref name="path"/>) that other users can access.</summary>
    public static void RefuseShared(string flag, string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && File.GetUnixFileMode(path) is var mode && (mode & GroupOrOther) != 0)
        {
            throw new HubStartupException($"{flag} {path} is accessible by other users (mode {Octal(mode)}); chmod 600 it (the hub does not change files it is given)");
        }
    }

    private static string ReadPem(string flag, string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[MaxPemBytes + 1];
            var length = 0;
            for (int read; length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0;)
            {
                length += read;
            }

            if (length > MaxPemBytes)
            {
                throw new HubStartupException($"{flag} {path} is larger than {MaxPemBytes / 1024} KiB: not a PEM certificate or key");
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HubStartupException($"{flag} {path} cannot be read by this user ({Environment.UserName})", e);
        }
        catch (IOException e)
        {
            throw new HubStartupException($"{flag} {path} cannot be read: {e.Message}", e);
        }
    }

    private static bool HasLabel(string text, Func<string, bool> wanted)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (wanted(rest[fields.Label].ToString()))
            {
                return true;
            }

            rest = rest[fields.Location.End..];
        }

        return false;
    }

    /// <summary>For messages: a mode as ls -l's octal digits.</summary>
    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
