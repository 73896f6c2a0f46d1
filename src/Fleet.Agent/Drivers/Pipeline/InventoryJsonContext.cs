using System.Text.Json.Serialization;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Drivers.Git;
using Fleet.Agent.Drivers.Kubernetes;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// Source-generated serializer of every driver's inventory, so the formats are fixed at compile time and trim cleanly.
/// A new driver adds its document type here.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(InventoryDocument<OwnedFile>), TypeInfoPropertyName = "FilesInventory")]
[JsonSerializable(typeof(InventoryDocument<ExecResourceRecord>), TypeInfoPropertyName = "ExecInventory")]
[JsonSerializable(typeof(InventoryDocument<AppliedObject>), TypeInfoPropertyName = "KubernetesInventory")]
[JsonSerializable(typeof(InventoryDocument<GitFile>), TypeInfoPropertyName = "GitInventory")]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
