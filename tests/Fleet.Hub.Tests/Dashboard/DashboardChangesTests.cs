using Fleet.Hub.Dashboard;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>The change notices of open pages: bounded per page however long it stays open and however busy the hub is.</summary>
public sealed class DashboardChangesTests
{
    [Fact]
    public void Publish_FarMoreThanAPageReads_KeepsOnlyTheNewestNotices()
    {
        var changes = new DashboardChanges();
        using var page = new CancellationTokenSource();
        var notices = changes.Subscribe(page.Token);

        // An hour of a busy fleet for a page that never reads (a browser tab in the background).
        for (var i = 0; i < 100_000; i++)
        {
            changes.Publish($"n{i}");
        }

        var queued = new List<string>();
        while (notices.TryRead(out var notice))
        {
            queued.Add(notice);
        }

        Assert.Equal(DashboardChanges.QueueCapacity, queued.Count);
        Assert.Equal([.. Enumerable.Range(100_000 - DashboardChanges.QueueCapacity, DashboardChanges.QueueCapacity).Select(i => $"n{i}")], queued);
    }

    [Fact]
    public async Task Subscribe_PageClosed_ForgetsThePageAndEndsItsStream()
    {
        var changes = new DashboardChanges();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var closing = changes.Subscribe(first.Token);
        var staying = changes.Subscribe(second.Token);

        await first.CancelAsync();
        changes.Publish("target");

        Assert.Equal(1, changes.Subscribers);
        Assert.True(closing.Completion.IsCompleted);
        Assert.True(staying.TryRead(out var notice));
        Assert.Equal("target", notice);
    }

    [Fact]
    public async Task StreamAsync_NewPage_SaysHelloBeforeAnyChange()
    {
        var changes = new DashboardChanges();
        using var page = new CancellationTokenSource();
        await using var stream = changes.StreamAsync(page.Token).GetAsyncEnumerator(page.Token);

        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("hello", stream.Current);
        changes.Publish("rollout");
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("rollout", stream.Current);
    }
}
