using System.Collections.Concurrent;
using Fleet.Domain.Expressions;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;

namespace Fleet.Hub.Rendering;

/// <summary>
/// Revisions are immutable, so each is compiled once per process and shared by every TargetGrain that
/// renders it (thousands of targets, one compile).
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

    private async Task<CompiledCapability?> LoadAsync(string capability, long revision)
    {
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
}
