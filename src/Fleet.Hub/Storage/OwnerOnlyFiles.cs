using System.Runtime.InteropServices;

namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's own files and directories (those it creates in its data directory): owner-only from the
/// moment they exist, never reached through a symbolic link, replaced atomically. Files the operator
/// gives the hub (--tls-key, --ca-key, ...) are never changed here: see <c>Security.PkiFiles</c>.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode File644 = File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Directory700 = File600 | UnixFileMode.UserExecute;

    private const UnixFileMode Others = ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) 0700, or narrows an existing real directory to
    /// 0700 where this user may; true when it changed an existing one. A directory behind a symbolic link, or
    /// one this user does not own, is left as it is: its files are owner-only themselves.
    /// </summary>
    public static bool CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return false;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, Directory700);
            return false;
        }

        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || (info.UnixFileMode & Others) == 0)
        {
            return false;
        }

        try
        {
            File.SetUnixFileMode(path, info.UnixFileMode & ~Others);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours (e.g. a volume's root owned by root with an fsGroup): the files inside are still 0600.
            return false;
        }
    }

    /// <summary>Creates an empty file 0600 unless it exists (then see <see cref="Restrict"/>); never through a link.</summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            Restrict(path);
            return;
        }

        try
        {
            // CreateNew is O_CREAT|O_EXCL: it fails on anything already there, a dangling link included.
            using var stream = new FileStream(path, Options(FileMode.CreateNew, File600));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by a second process meanwhile: fine, it has the same mode.
            Restrict(path);
        }
    }

    /// <summary>
    /// Narrows one of the hub's own files to 0600 if an older version or a restore left it readable by
    /// others; true when it did. A symbolic link is refused rather than followed.
    /// </summary>
    public static bool Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"{path} is a symbolic link; the hub's own files must be regular files (it does not follow links in its data directory)");
        }

        if (!info.Exists || (info.UnixFileMode & ~File600) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(path, File600);
        return true;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="text"/>: written under a unique temporary name
    /// created with <paramref name="mode"/> (O_EXCL, so never through a link), fsynced, renamed over the old
    /// file (a link there is replaced, not followed) and the directory fsynced, so a crash leaves either the
    /// old file or the new.
    /// </summary>
    public static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, Options(FileMode.CreateNew, mode)))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Makes a rename in <paramref name="directory"/> durable (best effort where there is no fsync of a directory).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Native.open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }

        try
        {
            Native.fsync(fd);
        }
        finally
        {
            Native.close(fd);
        }
    }

    private static FileStreamOptions Options(FileMode mode, UnixFileMode unixMode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        return options;
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
