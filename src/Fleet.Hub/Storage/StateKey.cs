using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Hub.Storage;

/// <summary>The primary key of a row of <c>grain_state</c>.</summary>
internal readonly record struct StateKey(string GrainType, string GrainKey, string StateName)
{
    // The grain type and key are stored apart so that one kind of grain can be listed, counted
    // or purged with an index range scan.
    public StateKey(GrainId grainId, string stateName)
        : this(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName)
    {
    }

    public void AddParameters(SqliteCommand command)
    {
        command.Parameters.AddWithValue("$grainType", GrainType);
        command.Parameters.AddWithValue("$grainId", GrainKey);
        command.Parameters.AddWithValue("$stateName", StateName);
    }

    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("grainType", GrainType);
        command.Parameters.AddWithValue("grainId", GrainKey);
        command.Parameters.AddWithValue("stateName", StateName);
    }

    public string Describe() => $"{GrainType}/{GrainKey} ({StateName})";
}
