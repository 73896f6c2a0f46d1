namespace Fleet.Hub.Storage;

/// <summary>
/// Opens the embedded database (and creates or upgrades its schema) while the silo starts, so a
/// bad data directory stops the hub at start rather than failing the first grain that loads
/// state. <see cref="SqliteDatabase"/> also initialises itself on first use, so the order of
/// other participants does not matter for correctness.
/// </summary>
internal sealed class SqliteDatabaseLifecycle(SqliteDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SqliteDatabaseLifecycle),
            ServiceLifecycleStage.RuntimeStorageServices,
            database.InitializeAsync);
}
