namespace Fleet.Hub.Storage;

/// <summary>
/// Creates or upgrades the PostgreSQL schema while the silo starts, so an unreachable database or a
/// bad connection string stops the hub at start rather than failing the first grain that loads state.
/// </summary>
internal sealed class PostgresDatabaseLifecycle(PostgresDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(PostgresDatabaseLifecycle),
            ServiceLifecycleStage.RuntimeStorageServices,
            database.InitializeAsync);
}
