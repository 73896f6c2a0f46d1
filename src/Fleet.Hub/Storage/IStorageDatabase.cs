namespace Fleet.Hub.Storage;

/// <summary>What the silo needs of a storage backend's database (<see cref="SqliteDatabase"/>, <see cref="PostgresDatabase"/>).</summary>
internal interface IStorageDatabase
{
    /// <summary>
    /// Makes the database ready (schema created or upgraded). Idempotent: every later call returns
    /// the same (completed or failed) initialisation.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);
}
