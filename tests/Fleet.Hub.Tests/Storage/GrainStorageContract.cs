using Fleet.Hub.Storage;
using Orleans.Storage;

namespace Fleet.Hub.Tests.Storage;

/// <summary>
/// What every grain storage backend of the hub must do alike (same JSON, ETags, conflicts); one
/// subclass per backend supplies the storage and a look at its rows.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private static readonly GrainId Grain = GrainId.Create("probe", "alpha");

    private IGrainStorage _storage = null!;

    public async ValueTask InitializeAsync() => _storage = await OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await DisposeStoreAsync();
    }

    /// <summary>Opens the storage on this test's store (a file, a database), which survives <see cref="CloseAsync"/>.</summary>
    protected abstract ValueTask<IGrainStorage> OpenAsync();

    /// <summary>Releases the storage opened last (its connections, its writer).</summary>
    protected abstract ValueTask CloseAsync();

    /// <summary>Releases the store itself, once the test is done.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    protected abstract Task<long> CountRowsAsync();

    /// <summary>The <c>data</c> column of the only row, as stored.</summary>
    protected abstract Task<string> ReadStoredJsonAsync();

    /// <summary>Replaces the <c>data</c> of every row behind the storage's back.</summary>
    protected abstract Task OverwriteStoredJsonAsync(string json);

    [Fact]
    public async Task ReadStateAsync_NoRecord_LeavesDefaultStateAndNoRecord()
    {
        var state = new TestGrainState<ProbeState>(new ProbeState { Name = "in memory only" }, "7");

        await _storage.ReadStateAsync("state", Grain, state, TestContext.Current.CancellationToken);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal("", state.State.Name);
        Assert.Equal(0, state.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_ThenReadAndClear_RoundTripsEveryField()
    {
        var ct = TestContext.Current.CancellationToken;
        var written = new TestGrainState<ProbeState>(SampleState());

        await _storage.WriteStateAsync("state", Grain, written, ct);
        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);

        written.State.Count = 43;
        await _storage.WriteStateAsync("state", Grain, written, ct);
        Assert.Equal("2", written.ETag);

        var read = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, read, ct);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal("alpha", read.State.Name);
        Assert.Equal(43, read.State.Count);
        Assert.Equal(ProbeStatus.Running, read.State.Status);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "dev", ["ring"] = "canary" }, read.State.Labels);
        Assert.Equal([new ProbeStep("t1", 1), new ProbeStep("t2", 2)], read.State.Steps);
        Assert.Equal(written.State.Seen, read.State.Seen);

        await _storage.ClearStateAsync("state", Grain, read, ct);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State.Name);

        var afterClear = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, afterClear, ct);
        Assert.False(afterClear.RecordExists);
        Assert.Equal(0, await CountRowsAsync());
    }

    [Fact]
    public async Task WriteStateAsync_AfterClear_StartsANewRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var state = new TestGrainState<ProbeState>(SampleState());
        await _storage.WriteStateAsync("state", Grain, state, ct);
        await _storage.ClearStateAsync("state", Grain, state, ct);

        state.State.Name = "again";
        await _storage.WriteStateAsync("state", Grain, state, ct);

        var read = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, read, ct);
        Assert.Equal("again", read.State.Name);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_StaleEtag_ThrowsInconsistentStateAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = new TestGrainState<ProbeState>(SampleState());
        await _storage.WriteStateAsync("state", Grain, first, ct);
        var stale = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, stale, ct);
        first.State.Name = "winner";
        await _storage.WriteStateAsync("state", Grain, first, ct);

        stale.State.Name = "loser";
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("state", Grain, stale, ct));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        Assert.Equal("1", stale.ETag);
        var read = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, read, ct);
        Assert.Equal("winner", read.State.Name);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_NoEtagButRecordExists_ThrowsInconsistentState()
    {
        var ct = TestContext.Current.CancellationToken;
        await _storage.WriteStateAsync("state", Grain, new TestGrainState<ProbeState>(SampleState()), ct);

        var unaware = new TestGrainState<ProbeState>(new ProbeState { Name = "unaware" });
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("state", Grain, unaware, ct));

        Assert.Equal("1", conflict.StoredEtag);
        Assert.Null(conflict.CurrentEtag);
        var read = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, read, ct);
        Assert.Equal("alpha", read.State.Name);
    }

    [Fact]
    public async Task WriteStateAsync_EtagButRecordCleared_ThrowsInconsistentState()
    {
        var ct = TestContext.Current.CancellationToken;
        var kept = new TestGrainState<ProbeState>(SampleState());
        await _storage.WriteStateAsync("state", Grain, kept, ct);
        var other = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, other, ct);
        await _storage.ClearStateAsync("state", Grain, other, ct);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("state", Grain, kept, ct));

        Assert.Null(conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        Assert.Equal(0, await CountRowsAsync());
    }

    [Fact]
    public async Task ClearStateAsync_StaleEtag_ThrowsInconsistentStateAndKeepsRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var current = new TestGrainState<ProbeState>(SampleState());
        await _storage.WriteStateAsync("state", Grain, current, ct);
        var stale = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, stale, ct);
        await _storage.WriteStateAsync("state", Grain, current, ct);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.ClearStateAsync("state", Grain, stale, ct));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", stale.ETag);
        Assert.True(stale.RecordExists);
        Assert.Equal(1, await CountRowsAsync());
    }

    [Fact]
    public async Task ClearStateAsync_NoEtagAndNoRecord_Succeeds()
    {
        var state = new TestGrainState<ProbeState>(SampleState());

        await _storage.ClearStateAsync("state", Grain, state, TestContext.Current.CancellationToken);

        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Name);
    }

    [Fact]
    public async Task WriteStateAsync_SameGrainDifferentStateNamesOrTypes_KeepsRowsApart()
    {
        var ct = TestContext.Current.CancellationToken;
        var sameKeyOtherType = GrainId.Create("other-probe", "alpha");
        await _storage.WriteStateAsync("state", Grain, new TestGrainState<ProbeState>(new ProbeState { Name = "a" }), ct);
        await _storage.WriteStateAsync("extra", Grain, new TestGrainState<ProbeState>(new ProbeState { Name = "b" }), ct);
        await _storage.WriteStateAsync("state", sameKeyOtherType, new TestGrainState<ProbeState>(new ProbeState { Name = "c" }), ct);

        var names = new List<string>();
        foreach (var (name, grain) in new[] { ("state", Grain), ("extra", Grain), ("state", sameKeyOtherType) })
        {
            var read = new TestGrainState<ProbeState>();
            await _storage.ReadStateAsync(name, grain, read, ct);
            names.Add(read.State.Name);
        }

        Assert.Equal(["a", "b", "c"], names);
    }

    [Fact]
    public async Task WriteStateAsync_StoredJson_HasNoTypeNamesAndEnumsAsNames()
    {
        var ct = TestContext.Current.CancellationToken;
        await _storage.WriteStateAsync("state", Grain, new TestGrainState<ProbeState>(SampleState()), ct);

        var json = await ReadStoredJsonAsync();

        Assert.Contains("\"status\":\"Running\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ProbeState), json, StringComparison.Ordinal);
        Assert.DoesNotContain("Fleet.", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadStateAsync_StateClassRenamed_ReadsWhatTheOldClassWrote()
    {
        var ct = TestContext.Current.CancellationToken;
        await _storage.WriteStateAsync("state", Grain, new TestGrainState<ProbeState>(SampleState()), ct);

        var renamed = new TestGrainState<RenamedProbeState>();
        await _storage.ReadStateAsync("state", Grain, renamed, ct);

        Assert.Equal("alpha", renamed.State.Name);
        Assert.Equal(ProbeStatus.Running, renamed.State.Status);
        Assert.Equal(2, renamed.State.Steps.Count);
    }

    [Fact]
    public async Task ReadStateAsync_StoredJsonDoesNotFitTheType_ThrowsNamingTheState()
    {
        var ct = TestContext.Current.CancellationToken;
        await _storage.WriteStateAsync("state", Grain, new TestGrainState<ProbeState>(SampleState()), ct);
        await OverwriteStoredJsonAsync("{\"count\": \"many\"}");

        var read = new TestGrainState<ProbeState>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _storage.ReadStateAsync("state", Grain, read, ct));

        Assert.Contains("probe/alpha (state)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadStateAsync_StorageReopenedOnSameStore_ReadsWhatWasWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var written = new TestGrainState<ProbeState>(SampleState());
        await _storage.WriteStateAsync("state", Grain, written, ct);
        await CloseAsync();

        _storage = await OpenAsync();
        var read = new TestGrainState<ProbeState>();
        await _storage.ReadStateAsync("state", Grain, read, ct);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("alpha", read.State.Name);
        Assert.Equal(42, read.State.Count);
    }

    [Fact]
    public async Task WriteStateAsync_ManyGrainsConcurrently_StoresEveryWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        var grains = Enumerable.Range(0, 300).Select(i => GrainId.Create("probe", $"g{i}")).ToList();

        // Two rounds per grain, so that batches mix first inserts with updates.
        await Task.WhenAll(grains.Select(async (grain, i) =>
        {
            var state = new TestGrainState<ProbeState>(new ProbeState { Count = i });
            await _storage.WriteStateAsync("state", grain, state, ct);
            state.State.Count = i * 10;
            await _storage.WriteStateAsync("state", grain, state, ct);
        }));

        var counts = new List<int>();
        foreach (var grain in grains)
        {
            var read = new TestGrainState<ProbeState>();
            await _storage.ReadStateAsync("state", grain, read, ct);
            Assert.Equal("2", read.ETag);
            counts.Add(read.State.Count);
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 10), counts);
    }

    private static ProbeState SampleState() => new()
    {
        Name = "alpha",
        Count = 42,
        Status = ProbeStatus.Running,
        Labels = new() { ["env"] = "dev", ["ring"] = "canary" },
        Steps = [new ProbeStep("t1", 1), new ProbeStep("t2", 2)],
        Seen = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)),
    };
}
