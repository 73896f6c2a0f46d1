using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Targets;

namespace Fleet.Hub.Targets;

/// <summary>What an agent reported for the resources a revision reads (<c>resources.&lt;id&gt;</c>), as rendering takes it.</summary>
internal static class ObservedStates
{
    public static Dictionary<string, ObservedResource>? For(CompiledCapability compiled, IEnumerable<ReportedResource>? reported)
    {
        if (compiled.ReferencedIds.Count == 0 || reported is null)
        {
            return null;
        }

        var observed = new Dictionary<string, ObservedResource>(StringComparer.Ordinal);
        foreach (var resource in reported.Where(r => r.ObservedJson is not null && compiled.ReferencedIds.Contains(r.Id)))
        {
            try
            {
                observed[resource.Id] = new ObservedResource(resource.Hash, resource.State == TargetCapabilityState.Ready, ValueJson.Deserialize(resource.ObservedJson!));
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON: as good as not reported, so what reads it keeps waiting rather than rendering from garbage.
            }
        }

        return observed;
    }
}
