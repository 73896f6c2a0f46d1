using Fleet.Hub.Hosting.Health;
using Fleet.Hub.Security;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Hosting;

/// <summary>
/// The one place where <see cref="HubOptions.Storage"/> chooses a backend: grain state, reminders and
/// the security store all go to it, and nothing else in the hub knows which one it is.
/// </summary>
internal static class HubStorageExtensions
{
    public static ISiloBuilder AddFleetStorage(this ISiloBuilder silo, HubOptions options) =>
        options.Storage switch
        {
            HubOptions.SqliteStorage => silo
                .AddFleetSqliteStorage(options.DataDirectory)
                .ConfigureServices(services => services.AddSingleton<ISecurityStore, SqliteSecurityStore>().AddSingleton<IStorageProbe, SqliteStorageProbe>()),
            HubOptions.PostgresStorage => silo
                .AddFleetPostgresStorage(options.PostgresConnectionString
                    ?? throw new ArgumentException("--storage postgres needs a connection string (--postgres).", nameof(options)),
                    options.ClusterId)
                .ConfigureServices(services => services
                    .AddSingleton<PostgresSecurityStore>()
                    .AddSingleton<ISecurityStore>(sp => sp.GetRequiredService<PostgresSecurityStore>())
                    .AddSingleton<IClusterCaStore>(sp => sp.GetRequiredService<PostgresSecurityStore>())
                    .AddSingleton<IStorageProbe, PostgresStorageProbe>()),
            _ => throw new ArgumentException($"Unknown storage '{options.Storage}' (supported: sqlite, postgres).", nameof(options)),
        };
}
