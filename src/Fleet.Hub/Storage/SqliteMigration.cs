namespace Fleet.Hub.Storage;

/// <summary>One step of the embedded schema; <see cref="Sql"/> must be safe to run twice.</summary>
internal sealed record SqliteMigration(int Version, string Sql);
