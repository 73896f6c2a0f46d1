namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// Whole-file replacement that a reader or a crash never sees half done: the content goes to a temporary file of a
/// unique name in the same directory (same file system, so the rename is atomic), created exclusively and never through
/// a symlink, with its exact mode, is fsynced, then renamed over the target, and the directory is fsynced so the rename
/// itself is durable. On Linux that is <see cref="DirectoryHandle.WriteAtomically"/>; elsewhere the same by path.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Temporary files start with this, so a person can tell leftovers of a crash from real files.</summary>
    public const string TempPrefix = ".fleet-tmp-";

    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)
            ?? throw new ArgumentException($"{path} has no parent directory", nameof(path));
        if (DirectoryHandle.Supported)
        {
            // The same write relative to the open directory: a symlink planted at the temporary name is never followed.
            using var parent = DirectoryHandle.OpenRoot(directory);
            parent.WriteAtomically(Path.GetFileName(path), content, mode);
            return;
        }

        var temp = Path.Combine(directory, TempPrefix + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // CreateNew is O_EXCL: it never follows or reuses something planted at the temporary name.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The create mode is filtered by the umask; the desired mode is exact.
                    File.SetUnixFileMode(stream.SafeFileHandle, mode);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            // rename(2): replaces the target (even a symlink there, which it does not follow) in one step.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        DirectorySync.Flush(directory);
    }

    /// <summary>Whether <paramref name="path"/> is a regular file with exactly this content and mode.</summary>
    public static bool HasContent(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || info.Length != content.Length)
        {
            return false;
        }

        if (!OperatingSystem.IsWindows() && info.UnixFileMode != mode)
        {
            return false;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }

    /// <summary>
    /// Unlinks a file durably; a file that is already gone is not an error. A symlink at the path is unlinked itself,
    /// never followed; a directory there is an error, since the driver never writes directories as resources.
    /// </summary>
    public static void Delete(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"{path} is a directory, not a file");
            }

            if (!info.Exists)
            {
                return;
            }
        }

        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Leaving a temporary file is better than hiding the error that got us here.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
