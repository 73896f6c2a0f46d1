using System.Text;
using Fleet.Hub.Hosting;

namespace Fleet.Hub.Security;

/// <summary>
/// Files the operator gives the hub by a flag (--tls-key, --ca-key, --postgres-file, ...): only read, never changed,
/// read with a bound (a wrong path may name a device or a log), and, when they hold a secret, refused if other users
/// can access them — with a message saying what to do, as ssh does. Every problem is a
/// <see cref="HubStartupException"/> naming the flag and the file.
/// </summary>
internal static class GivenFiles
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The whole file as UTF-8 text; <paramref name="what"/> names what it should be, for the too-large message.</summary>
    public static string ReadText(string flag, string path, int maxBytes, string what)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[maxBytes + 1];
            var length = 0;
            for (int read; length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0;)
            {
                length += read;
            }

            if (length > maxBytes)
            {
                throw new HubStartupException($"{flag} {path} is larger than {maxBytes / 1024} KiB: not {what}");
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

    /// <summary>Refuses a secret that its group or others may access; the hub does not change files it is given.</summary>
    public static void RequireOwnerOnly(string flag, string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && File.GetUnixFileMode(path) is var mode && (mode & GroupOrOther) != 0)
        {
            throw new HubStartupException($"{flag} {path} is accessible by other users (mode {Octal(mode)}); chmod 600 it (the hub does not change files it is given)");
        }
    }

    /// <summary>For messages: a mode as ls -l's octal digits.</summary>
    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
