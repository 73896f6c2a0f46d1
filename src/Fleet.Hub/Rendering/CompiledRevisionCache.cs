using System.Collections.Concurrent;
using Fleet.Domain.Expressions;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;

namespace Fleet.Hub.Rendering;

/// <summary>
/// Revisions are immutable, so each is compiled once per process and shared by every TargetGrain that
/// renders it (thousands of targets, one compile). Keys are delivery keys: an instance's revision
/// ("capability/instance", n) is its capability revision bound to the instance's resolved inputs.
/// </summary>
internal sealed class CompiledRevisionCache(IGrainFactory grains, IExpressionEngine engine)
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<(string Capability, long Revision), Task<CompiledCapability?>> _cache = new();
    private readonly CapabilityRenderer _renderer = new(engine);

    /// <summary>The compiled revision, or null if the capability or revision does not exist.</summary>
    public Task<CompiledCapability?> GetAsync(string capability, long revision)
    {
        if (_cache.Count > MaxEntries)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd((capability, revision), key => LoadAsync(key.Capability, key.Revision));
    }

    public CompiledCapability Compile(string specJson, long revision) =>
        _renderer.Compile(CapabilitySpecJson.Deserialize(specJson), revision);

    private async Task<CompiledCapability?> LoadAsync(string key, long revision)
    {
        if (DeliveryKeys.Split(key) is (_, { } instance))
        {
            return await LoadInstanceAsync(key, instance, revision);
        }

        var capability = key;
        string? json;
        try
        {
            json = await grains.GetGrain<ICapabilityGrain>(capability).GetRevisionSpec(revision);
        }
        catch
        {
            _cache.TryRemove((capability, revision), out _);
            throw;
        }

        if (json is null)
        {
            // Do not cache a miss: the revision may be created a moment later.
            _cache.TryRemove((capability, revision), out _);
            return null;
        }

        return Compile(json, revision);
    }

    private async Task<CompiledCapability?> LoadInstanceAsync(string key, string instance, long revision)
    {
        InstanceRevisionRef? found;
        try
        {
            found = await grains.GetGrain<IInstanceGrain>(instance).GetRevision(revision);
        }
        catch
        {
            _cache.TryRemove((key, revision), out _);
            throw;
        }

        var compiled = found is null ? null : await GetAsync(found.Capability, found.CapabilityRevision);
        if (compiled is null)
        {
            _cache.TryRemove((key, revision), out _);
            return null;
        }

        // The instance's revision is what its targets are assigned and report; templates keep the capability's.
        return compiled.ForInstance(instance, InputValuesJson.Deserialize(found!.InputsJson), revision);
    }
}
