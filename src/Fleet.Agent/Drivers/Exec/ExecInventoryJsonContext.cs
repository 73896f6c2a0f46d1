using System.Text.Json.Serialization;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>Source-generated serializer: the inventory format is fixed at compile time and trims cleanly.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ExecInventoryDocument))]
internal sealed partial class ExecInventoryJsonContext : JsonSerializerContext;
