using Fleet.Hub.Hosting;

namespace Fleet.Hub.Security;

/// <summary>
/// Makes sure a secure hub can be administered: at first start (or with --reset-admin-token) it
/// creates an admin token and writes it to <c>admin.token</c> in the data directory, mode 0600. The
/// token itself is never logged; only the file's path is. A hub whose admin.token was removed on
/// purpose (moved into a vault) keeps its admin tokens and does not make a new one.
/// </summary>
internal sealed partial class AdminTokenBootstrap(
    ISecurityStore store,
    SecurityClock clock,
    HubOptions options,
    ILogger<AdminTokenBootstrap> logger) : IHostedService
{
    public const string FileName = "admin.token";

    public string FilePath => Path.Combine(Path.GetFullPath(options.DataDirectory), FileName);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now;
        if (options.ResetAdminToken)
        {
            var revoked = await store.RevokeAdminTokens(now);
            LogReset(logger, revoked);
        }
        else if (await store.HasUsableAdminToken(now))
        {
            if (!File.Exists(FilePath))
            {
                LogNoFile(logger, FilePath);
            }
            else if (PkiFiles.RestrictOwn(FilePath))
            {
                LogTightened(logger, FilePath);
            }

            return;
        }

        var (token, id, hash) = TokenCodec.Create();
        // The file first: if it cannot be written (disk full, a directory in the way, --storage postgres
        // with a data directory it cannot create) nothing is stored, the start fails, and the next good
        // start makes a token again. Stored first, that token would count as "usable" for ever while no
        // one holds it. A file whose insert failed is simply overwritten by the next start.
        PkiFiles.WriteSecret(FilePath, token + "\n");
        await store.InsertToken(new StoredToken(id, hash, FleetRole.Admin, "admin.token", null, now, null, null, null, "fleet-hub"));
        LogCreated(logger, id, FilePath);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created admin token {TokenId}; it is in {Path} (mode 0600)")]
    private static partial void LogCreated(ILogger logger, string tokenId, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--reset-admin-token: revoked {Count} admin tokens")]
    private static partial void LogReset(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} is absent; the admin tokens created before remain valid (--reset-admin-token makes a new one)")]
    private static partial void LogNoFile(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was readable by other users; its mode is now 0600")]
    private static partial void LogTightened(ILogger logger, string path);
}
