namespace Fleet.Agent.Runtime;

/// <summary>
/// The agent's state directory (and its identity directory) are the owner's alone, mode 0700: desired.pb holds
/// rendered exec environment values, the outbox what the target reported, identity/ the private key. The files are
/// 0600 as well; the directory's mode also keeps other users from listing or planting names in it.
/// </summary>
internal static class OwnerOnlyDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of the files the agent writes in it.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> with mode 0700 if missing, or narrows an existing one to 0700 (a state directory
    /// an older agent made with the umask's 0755). A shared directory such as /tmp (sticky bit) is refused rather than
    /// narrowed: it is not the agent's to take. Returns false when the directory belongs to someone else and cannot be
    /// narrowed (a Kubernetes volume owned by root and shared through fsGroup): its files are still 0600.
    /// </summary>
    public static bool Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return true;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, Mode);
        }

        var mode = File.GetUnixFileMode(path);
        if (mode.HasFlag(UnixFileMode.StickyBit))
        {
            throw new IOException($"{path} is a shared directory (sticky bit, like /tmp): give the agent a directory of its own");
        }

        // The umask may have narrowed the create mode (never widened it): the exact mode is set either way.
        if (mode == Mode)
        {
            return true;
        }

        try
        {
            File.SetUnixFileMode(path, Mode);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // Only the owner may change a mode (EPERM otherwise).
            return false;
        }
    }
}
