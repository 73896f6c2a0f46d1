namespace Fleet.Hub.Storage;

/// <summary>One step of a storage backend's schema; <see cref="Sql"/> must be safe to run twice.</summary>
internal sealed record SchemaMigration(int Version, string Sql);
