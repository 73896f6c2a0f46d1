using System.Text.Json.Serialization;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>Source-generated serializer: the inventory format is fixed at compile time and trims cleanly.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(KubernetesInventoryDocument))]
internal sealed partial class KubernetesInventoryJsonContext : JsonSerializerContext;
