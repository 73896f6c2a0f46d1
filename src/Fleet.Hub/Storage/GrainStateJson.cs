using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Hub.Storage;

/// <summary>
/// The JSON form of grain state, shared by every storage backend so that state moves between them
/// unchanged. Part of the storage format: change it only with a migration.
/// </summary>
/// <remarks>
/// No .NET type names (renaming or moving a state class does not orphan what is stored), only public
/// properties, enums as their names.
/// </remarks>
internal static class GrainStateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        IncludeFields = false,
        Converters = { new JsonStringEnumConverter() },
    };
}
