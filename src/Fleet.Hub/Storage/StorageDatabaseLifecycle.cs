namespace Fleet.Hub.Storage;

/// <summary>
/// Opens the storage backend's database (and creates or upgrades its schema) while the silo starts,
/// so a bad data directory, an unreachable database or a bad connection string stops the hub at start
/// rather than failing the first grain that loads state. Each database also initialises itself on
/// first use, so the order of other participants does not matter for correctness.
/// </summary>
internal sealed class StorageDatabaseLifecycle<TDatabase>(TDatabase database) : ILifecycleParticipant<ISiloLifecycle>
    where TDatabase : IStorageDatabase
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            $"{typeof(TDatabase).Name}Lifecycle",
            ServiceLifecycleStage.RuntimeStorageServices,
            database.InitializeAsync);
}
