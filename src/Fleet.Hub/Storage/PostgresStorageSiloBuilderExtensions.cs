namespace Fleet.Hub.Storage;

public static class PostgresStorageSiloBuilderExtensions
{
    /// <summary>
    /// Grain state and reminders in the PostgreSQL database of <paramref name="connectionString"/>
    /// (an Npgsql connection string), whose schema is created or upgraded while the silo starts; only
    /// the rows of <paramref name="clusterId"/>, so several hubs can share the database.
    /// Registers the grain storage as <see cref="SqliteStorageSiloBuilderExtensions.GrainStorageName"/>
    /// and as the default, like the embedded storage, so grains do not know which backend they use.
    /// </summary>
    public static ISiloBuilder AddFleetPostgresStorage(this ISiloBuilder builder, string connectionString, string clusterId = Hosting.HubOptions.DefaultClusterId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);

        return builder.AddStorageBackend<PostgresDatabase, PostgresGrainStorage, PostgresReminderTable>(
            sp => new PostgresDatabase(connectionString, clusterId, sp.GetRequiredService<ILogger<PostgresDatabase>>()));
    }
}
