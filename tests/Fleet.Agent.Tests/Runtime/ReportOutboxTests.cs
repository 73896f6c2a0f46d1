using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

public sealed class ReportOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CapabilityReport Report(string key, ResourceState state) => new() { Key = key, State = state, Revision = 1 };

    [Fact]
    public void Enqueue_ThenRestart_KeepsUnacknowledgedReportsInOrder()
    {
        var outbox = new ReportOutbox(_dir.State);
        outbox.Enqueue(Report("a", ResourceState.Drifted));
        outbox.Enqueue(Report("a", ResourceState.Ready));
        outbox.Enqueue(Report("b", ResourceState.Failed));
        outbox.Acknowledge(outbox.After(0)[0].Sequence);

        var restarted = new ReportOutbox(_dir.State);

        Assert.Equal([("a", ResourceState.Ready), ("b", ResourceState.Failed)], restarted.After(0).Select(p => (p.Report.Key, p.Report.State)));
    }

    [Fact]
    public async Task WaitAsync_CompletesWhenAReportArrivesAfterTheGivenSequence()
    {
        var outbox = new ReportOutbox(_dir.State);
        outbox.Enqueue(Report("a", ResourceState.Ready));
        var waiting = outbox.WaitAsync(outbox.LastSequence, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        outbox.Enqueue(Report("b", ResourceState.Ready));

        await waiting;
        Assert.True(outbox.WaitAsync(0, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public void Enqueue_BeyondTheBound_DropsHistoryBeforeTheNewestStateOfAnyKey()
    {
        var outbox = new ReportOutbox(_dir.State);
        outbox.Enqueue(Report("keep", ResourceState.Failed));
        for (var i = 0; i < ReportOutbox.MaxPending + 10; i++)
        {
            outbox.Enqueue(Report("busy", i % 2 == 0 ? ResourceState.Drifted : ResourceState.Ready));
        }

        var pending = outbox.After(0);
        Assert.Equal(ReportOutbox.MaxPending, pending.Count);
        Assert.Equal(("keep", ResourceState.Failed), (pending[0].Report.Key, pending[0].Report.State));
        Assert.Equal(ResourceState.Ready, pending[^1].Report.State);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Enqueue_WritesAnOwnerOnlyFileInAnOwnerOnlyDirectory()
    {
        File.SetUnixFileMode(_dir.State, (UnixFileMode)0b111_101_101);
        var outbox = new ReportOutbox(_dir.State);

        outbox.Enqueue(Report("a", ResourceState.Failed));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.State, ReportOutbox.FileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.State));
        Assert.Equal([ReportOutbox.FileName], Directory.EnumerateFileSystemEntries(_dir.State).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_ForeignFile_StartsEmpty()
    {
        File.WriteAllBytes(Path.Combine(_dir.State, ReportOutbox.FileName), [0xFF, 0xFF, 0xFF]);
        Assert.Equal(0, new ReportOutbox(_dir.State).Count);
    }
}
