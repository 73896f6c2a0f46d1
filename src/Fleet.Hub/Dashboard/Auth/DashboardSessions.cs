using System.Security.Cryptography;
using System.Text;
using Fleet.Hub.Security;

namespace Fleet.Hub.Dashboard.Auth;

/// <summary>
/// The dashboard's logins, in memory (a hub restart logs everyone out, which costs a login and keeps no token on
/// disk). Bounded: at most <see cref="MaxSessions"/>, the least recently used is dropped for a new one. A session
/// ends after <see cref="IdleTimeout"/> without a request and <see cref="Lifetime"/> after its login, whatever
/// happens, by the hub's security clock (<see cref="SecurityClock"/>, which tests move).
/// </summary>
internal sealed class DashboardSessions(SecurityClock clock)
{
    public const int MaxSessions = 1000;
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly Lock _gate = new();

    // Keyed by the id's hash, so that finding a session compares no secret byte by byte.
    private readonly Dictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <returns>The cookie value that finds the new session, and the session.</returns>
    public (string Id, DashboardSession Session) Create(string token)
    {
        var id = CsrfTokens.New();
        var now = clock.Now;
        var session = new DashboardSession(token, CsrfTokens.New(), now);
        lock (_gate)
        {
            RemoveExpired(now);
            if (_sessions.Count >= MaxSessions)
            {
                _sessions.Remove(_sessions.MinBy(s => s.Value.LastSeen).Key);
            }

            _sessions[Key(id)] = session;
        }

        return (id, session);
    }

    /// <summary>The live session of a cookie value, its idle time restarted; null when there is none or it expired.</summary>
    public DashboardSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var key = Key(id);
        var now = clock.Now;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(key, out var session))
            {
                return null;
            }

            if (IsExpired(session, now))
            {
                _sessions.Remove(key);
                return null;
            }

            session.LastSeen = now;
            return session;
        }
    }

    public void Remove(string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            lock (_gate)
            {
                _sessions.Remove(Key(id));
            }
        }
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var key in _sessions.Where(s => IsExpired(s.Value, now)).Select(s => s.Key).ToList())
        {
            _sessions.Remove(key);
        }
    }

    private static bool IsExpired(DashboardSession session, DateTimeOffset now) =>
        now - session.LastSeen >= IdleTimeout || now - session.Created >= Lifetime;

    private static string Key(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
