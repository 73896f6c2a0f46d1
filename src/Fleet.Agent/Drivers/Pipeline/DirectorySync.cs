namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// fsync of a directory, so a rename or unlink in it survives a power cut. .NET refuses to open directories as
/// files, hence libc. Best effort: where libc cannot be reached (Windows, unusual libcs) the rename is still
/// atomic, only not yet durable.
/// </summary>
internal static class DirectorySync
{
    private static bool s_unavailable = OperatingSystem.IsWindows();

    public static void Flush(string directory)
    {
        if (s_unavailable)
        {
            return;
        }

        try
        {
            // O_RDONLY (0) opens a directory on every Unix; O_DIRECTORY's value differs between architectures.
            var fd = Libc.open(directory, 0);
            if (fd < 0)
            {
                return;
            }

            try
            {
                Libc.fsync(fd);
            }
            finally
            {
                Libc.close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
        }
    }
}
