using System.Data.Common;

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

    /// <summary>Binds <c>@grainType</c>, <c>@grainId</c> and <c>@stateName</c> (see <see cref="DbCommandExtensions"/>).</summary>
    public void AddParameters(DbCommand command) =>
        command.With("@grainType", GrainType).With("@grainId", GrainKey).With("@stateName", StateName);

    public string Describe() => $"{GrainType}/{GrainKey} ({StateName})";
}
