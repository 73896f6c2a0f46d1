using Microsoft.Data.Sqlite;

namespace Fleet.Benchmarks;

/// <summary>
/// Grain state writes read from the hub's database (<c>fleet.db</c>, table <c>grain_state</c>): every write
/// increments a row's etag (an insert starts it at 1), so the growth of SUM(etag) per state name between
/// two snapshots is the number of writes of that kind of grain. Read-only, beside the running hub (WAL).
/// </summary>
internal sealed record StorageStats(IReadOnlyDictionary<string, StorageStats.Kind> Kinds)
{
    public sealed record Kind(long Writes, long Rows, long Bytes);

    public static StorageStats Read(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "fleet.db");
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return new StorageStats(kinds);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 10 }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_name, SUM(etag), COUNT(*), SUM(LENGTH(data)) FROM grain_state GROUP BY state_name;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            kinds[reader.GetString(0)] = new Kind(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        return new StorageStats(kinds);
    }

    /// <summary>Writes per kind of grain state between <paramref name="before"/> and this snapshot.</summary>
    public SortedDictionary<string, long> WritesSince(StorageStats before) =>
        new(Kinds.ToDictionary(k => k.Key, k => k.Value.Writes - (before.Kinds.GetValueOrDefault(k.Key)?.Writes ?? 0)), StringComparer.Ordinal);
}
