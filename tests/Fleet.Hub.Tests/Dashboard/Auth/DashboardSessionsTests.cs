using Fleet.Hub.Dashboard.Auth;
using Fleet.Hub.Security;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Hub.Tests.Dashboard.Auth;

public sealed class DashboardSessionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private DashboardSessions Sessions() => new(new SecurityClock(_clock));

    [Fact]
    public void Find_TheCreatedId_ReturnsItsSession_AndAnotherIdNone()
    {
        var sessions = Sessions();
        var (id, session) = sessions.Create("fleet_token");

        Assert.Same(session, sessions.Find(id));
        Assert.Null(sessions.Find(id[..^1] + (id[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(sessions.Find(null));
        Assert.Null(sessions.Find(""));
        Assert.NotEqual(id, session.Csrf);
    }

    [Fact]
    public void Find_AfterTheIdleTimeout_EndsTheSession_ButEachRequestRestartsIt()
    {
        var sessions = Sessions();
        var (id, _) = sessions.Create("t");

        _clock.Advance(DashboardSessions.IdleTimeout - TimeSpan.FromSeconds(1));
        var kept = sessions.Find(id);
        _clock.Advance(DashboardSessions.IdleTimeout - TimeSpan.FromSeconds(1));
        var stillKept = sessions.Find(id);
        _clock.Advance(DashboardSessions.IdleTimeout);

        Assert.NotNull(kept);
        Assert.NotNull(stillKept);
        Assert.Null(sessions.Find(id));
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public void Find_AfterTheLifetime_EndsTheSession_HoweverBusy()
    {
        var sessions = Sessions();
        var (id, _) = sessions.Create("t");

        for (var elapsed = TimeSpan.Zero; elapsed < DashboardSessions.Lifetime - TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromMinutes(10))
        {
            _clock.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(sessions.Find(id));
        }

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(sessions.Find(id));
    }

    [Fact]
    public void Create_BeyondTheBound_DropsTheLeastRecentlyUsed()
    {
        var sessions = Sessions();
        var ids = new List<string>();
        for (var i = 0; i < DashboardSessions.MaxSessions; i++)
        {
            ids.Add(sessions.Create($"t{i}").Id);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.NotNull(sessions.Find(ids[0]));
        var (newest, _) = sessions.Create("new");

        Assert.Equal(DashboardSessions.MaxSessions, sessions.Count);
        Assert.NotNull(sessions.Find(ids[0]));
        Assert.Null(sessions.Find(ids[1]));
        Assert.NotNull(sessions.Find(newest));
    }

    [Fact]
    public void Remove_EndsTheSession()
    {
        var sessions = Sessions();
        var (id, _) = sessions.Create("t");

        sessions.Remove(id);

        Assert.Null(sessions.Find(id));
    }
}
