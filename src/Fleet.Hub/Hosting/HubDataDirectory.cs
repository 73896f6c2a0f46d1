using Fleet.Hub.Security;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Hosting;

/// <summary>
/// The data directory, made ready before anything else starts, on every backend (it holds the CA, the
/// keys and admin.token even with --storage postgres): created 0700 if missing, and refused with a clear
/// message when it is a file or cannot be written, rather than failing later inside the host; and locked
/// (<see cref="HubDataDirectoryLock"/>) for as long as the hub runs, so a second hub cannot use it too.
/// </summary>
internal static class HubDataDirectory
{
    /// <summary>The files the hub keeps in the directory; something else in their place is refused before the start.</summary>
    private static readonly string[] OwnFiles =
    [
        HubPki.CaCertificateFile, HubPki.CaKeyFile, HubPki.ServingCertificateFile, HubPki.ServingKeyFile,
        AdminTokenBootstrap.FileName, HubDataDirectoryLock.FileName, SqliteDatabase.FileName, SqliteDatabase.FileName + "-wal", SqliteDatabase.FileName + "-shm",
    ];

    /// <summary>
    /// Prepares and locks the data directory when this hub keeps anything there (its SQLite database, or
    /// the PKI files of a secure hub), before anything starts; the host releases the lock when disposed.
    /// </summary>
    public static WebApplicationBuilder AddFleetDataDirectory(this WebApplicationBuilder builder, HubOptions options)
    {
        if (options.Storage == HubOptions.SqliteStorage || !options.Insecure)
        {
            var held = HubDataDirectoryLock.Acquire(Prepare(options));
            builder.Services.AddHostedService(_ => held);
        }

        return builder;
    }

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

        foreach (var name in OwnFiles)
        {
            var own = Path.Combine(path, name);
            if (new FileInfo(own).LinkTarget is not null)
            {
                throw new HubStartupException($"{own} is a symbolic link; the hub's own files must be regular files (it does not follow links in its data directory)");
            }

            if (Directory.Exists(own))
            {
                throw new HubStartupException($"{own} is a directory where the hub keeps a file: move it out of --data-dir");
            }
        }

        return path;
    }
}
