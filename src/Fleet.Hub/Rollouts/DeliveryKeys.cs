using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;

namespace Fleet.Hub.Rollouts;

/// <summary>
/// What targets receive is keyed "capability" for a capability without inputs and "capability/instance"
/// for each Instance of one with inputs (SPEC §5's target JSON). Names are DNS-1123 labels, so '/' cannot
/// occur in either part and the key splits unambiguously.
/// </summary>
internal static class DeliveryKeys
{
    public static string Of(string capability, string? instance) =>
        instance is null ? capability : capability + "/" + instance;

    /// <summary>Splits a key; <c>Instance</c> is null for a capability's own key.</summary>
    public static (string Capability, string? Instance) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (key, null) : (key[..slash], key[(slash + 1)..]);
    }

    public static bool IsInstance(string key) => key.Contains('/', StringComparison.Ordinal);

    /// <summary>Rollout ids: '.' never occurs in a name, so "capability.instance-N" cannot collide with a capability's "name-N".</summary>
    public static string RolloutPrefix(string key) => key.Replace('/', '.');

    /// <summary>The grain that owns what is delivered under <paramref name="key"/> and its rollouts.</summary>
    public static IRolloutOwner Owner(IGrainFactory grains, string key) =>
        Split(key) is (_, { } instance)
            ? grains.GetGrain<IInstanceGrain>(instance)
            : grains.GetGrain<ICapabilityGrain>(key);
}
