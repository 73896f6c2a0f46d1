using System.Collections.Concurrent;

namespace Fleet.Hub.Security;

/// <summary>
/// The agent streams open on this hub node, by target, so that revoking a target ends its live
/// stream at once instead of when the agent next reconnects. A stream registers for its lifetime.
/// </summary>
internal sealed class AgentSessionRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action<string>>> _sessions = new(StringComparer.Ordinal);

    public IDisposable Register(string target, Action<string> cutOff)
    {
        var id = Guid.NewGuid();
        _sessions.GetOrAdd(target, _ => new ConcurrentDictionary<Guid, Action<string>>())[id] = cutOff;
        return new Registration(this, target, id);
    }

    /// <summary>Ends every stream of the target on this node; returns how many there were.</summary>
    public int CutOff(string target, string reason)
    {
        if (!_sessions.TryGetValue(target, out var streams))
        {
            return 0;
        }

        var count = 0;
        foreach (var cutOff in streams.Values)
        {
            cutOff(reason);
            count++;
        }

        return count;
    }

    private void Remove(string target, Guid id)
    {
        if (_sessions.TryGetValue(target, out var streams))
        {
            streams.TryRemove(id, out _);
        }
    }

    private sealed class Registration(AgentSessionRegistry registry, string target, Guid id) : IDisposable
    {
        public void Dispose() => registry.Remove(target, id);
    }
}
