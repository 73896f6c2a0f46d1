using Fleet.Domain.Serialization;

namespace Fleet.Domain.Rendering;

/// <summary>
/// Keeps a target's desired set within what its agent receives. A set over the bound used to cut the target off
/// entirely (the agent dropped every message); now the capabilities that do not fit are sent as Failed with the reason
/// and the others still flow.
/// </summary>
public static class DesiredSetFit
{
    /// <summary>
    /// The keys sent as Failed so that the set stays within <paramref name="maxBytes"/>. Capabilities already delivered
    /// (<paramref name="delivered"/>) are kept first, so a newcomer that does not fit never pushes out what runs; within each
    /// group the order of <paramref name="entries"/> decides. Every entry takes at least the smaller of its two forms, so the
    /// result holds as long as <paramref name="fixedBytes"/> and those fit (a failure is a few hundred bytes).
    /// </summary>
    public static IReadOnlySet<string> Overflowing(IReadOnlyList<DesiredEntrySize> entries, IReadOnlySet<string> delivered, long fixedBytes, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(delivered);
        var overflowing = new HashSet<string>(StringComparer.Ordinal);
        if (fixedBytes + entries.Sum(e => e.Bytes) <= maxBytes)
        {
            return overflowing;
        }

        // An entry no larger than its failure is always sent whole: failing it would only take more room.
        var total = fixedBytes + entries.Sum(e => Math.Min(e.Bytes, e.FailureBytes));
        var candidates = entries.Where(e => e.Bytes > e.FailureBytes).ToList();
        foreach (var entry in candidates.Where(e => delivered.Contains(e.Key)).Concat(candidates.Where(e => !delivered.Contains(e.Key))))
        {
            var grown = total - entry.FailureBytes + entry.Bytes;
            if (grown <= maxBytes)
            {
                total = grown;
            }
            else
            {
                overflowing.Add(entry.Key);
            }
        }

        return overflowing;
    }

    /// <summary>What <paramref name="rendered"/> becomes on <paramref name="target"/> when it does not fit: Failed, with why.</summary>
    public static RenderedCapability Overflowed(RenderedCapability rendered, string target, long bytes, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var reason = $"target {target}: this capability renders to {bytes} bytes, which with the other capabilities of the target "
            + $"would take its desired set over the {maxBytes} bytes an agent receives";
        // The rendered hash is part of this one, so a new render that still does not fit is a change the agent sees.
        var hash = ContentHash.Of(new CanonicalJsonWriter().StartArray().String(rendered.Key).String(rendered.Hash).String(reason).EndArray().ToString());
        return new RenderedCapability(rendered.Key, rendered.Capability, rendered.Revision, hash, [], reason);
    }

    /// <summary>Why <c>fleet apply</c> refuses a capability that would make a placed target's desired set too large.</summary>
    public static string TooLargeFor(string target, long bytes, long totalBytes, long maxBytes) =>
        $"target {target}: its desired set would be {totalBytes} bytes with this capability ({bytes} bytes), "
        + $"over the {maxBytes} bytes an agent receives";
}
