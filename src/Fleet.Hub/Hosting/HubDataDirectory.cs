using Fleet.Hub.Storage;

namespace Fleet.Hub.Hosting;

/// <summary>
/// The data directory, made ready before anything else starts, on every backend (it holds the CA, the
/// keys and admin.token even with --storage postgres): created 0700 if missing, and refused with a clear
/// message when it is a file or cannot be written, rather than failing later inside the host.
/// </summary>
internal static class HubDataDirectory
{
    public static string Prepare(HubOptions options)
    {
        var path = Path.GetFullPath(options.DataDirectory);
        if (File.Exists(path))
        {
            throw new HubStartupException($"--data-dir {path} is a file, not a directory");
        }

        try
        {
            OwnerOnlyFiles.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HubStartupException($"--data-dir {path} cannot be created: {e.Message}", e);
        }

        // A directory that exists but takes no new file fails here, once, with its name.
        var probe = Path.Combine(path, $".write-test.{Guid.NewGuid():N}");
        try
        {
            OwnerOnlyFiles.CreateFile(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HubStartupException($"--data-dir {path} is not writable by this user: {e.Message}", e);
        }
        finally
        {
            File.Delete(probe);
        }

        return path;
    }
}
