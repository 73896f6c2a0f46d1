namespace Fleet.Hub.Tests.Storage;

/// <summary>What every reminder table of the hub must do alike; one subclass per storage backend.</summary>
public abstract class ReminderTableContract : IAsyncLifetime
{
    private static readonly DateTime Start = new(2025, 6, 1, 12, 0, 0, 123, DateTimeKind.Utc);

    private IReminderTable _table = null!;

    public async ValueTask InitializeAsync()
    {
        _table = await OpenAsync();
        await _table.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await DisposeStoreAsync();
    }

    /// <summary>Opens the table on this test's store (a file, a database), which survives <see cref="CloseAsync"/>.</summary>
    protected abstract ValueTask<IReminderTable> OpenAsync();

    /// <summary>Releases the table opened last.</summary>
    protected abstract ValueTask CloseAsync();

    /// <summary>Releases the store itself, once the test is done.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task UpsertRow_NewReminder_ReadRowReturnsItWithTheSameEtag()
    {
        var grain = GrainId.Create("rollout", "r-1");

        var etag = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);
        var row = await _table.ReadRow(grain, "watchdog", Ct);

        Assert.NotNull(row);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal("watchdog", row.ReminderName);
        Assert.Equal(Start, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromSeconds(5), row.Period);
    }

    [Fact]
    public async Task UpsertRow_ExistingReminder_ReplacesItAndChangesEtag()
    {
        var grain = GrainId.Create("rollout", "r-1");
        var first = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);

        var second = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromMinutes(2), Start.AddHours(1)), Ct);
        var row = await _table.ReadRow(grain, "watchdog", Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(second, row!.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(Start.AddHours(1), row.StartAt);
        Assert.Single((await _table.ReadRows(grain, Ct)).Reminders);
    }

    [Fact]
    public async Task ReadRow_UnknownReminder_ReturnsNull()
    {
        var grain = GrainId.Create("rollout", "r-1");
        await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);

        Assert.Null(await _table.ReadRow(grain, "other", Ct));
        Assert.Null(await _table.ReadRow(GrainId.Create("rollout", "r-2"), "watchdog", Ct));
    }

    [Fact]
    public async Task RemoveRow_StaleEtag_ReturnsFalseAndKeepsTheReminder()
    {
        var grain = GrainId.Create("rollout", "r-1");
        var stale = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);
        var current = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(10)), Ct);

        Assert.False(await _table.RemoveRow(grain, "watchdog", stale!, Ct));
        Assert.False(await _table.RemoveRow(grain, "watchdog", "not-an-etag", Ct));
        Assert.Equal(current, (await _table.ReadRow(grain, "watchdog", Ct))!.ETag);
    }

    [Fact]
    public async Task RemoveRow_CurrentEtag_RemovesOnlyThatReminder()
    {
        var grain = GrainId.Create("rollout", "r-1");
        var etag = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);
        await _table.UpsertRow(Entry(grain, "window", TimeSpan.FromSeconds(5)), Ct);

        Assert.True(await _table.RemoveRow(grain, "watchdog", etag!, Ct));
        Assert.False(await _table.RemoveRow(grain, "watchdog", etag!, Ct));

        Assert.Null(await _table.ReadRow(grain, "watchdog", Ct));
        Assert.Equal(["window"], (await _table.ReadRows(grain, Ct)).Reminders.Select(r => r.ReminderName));
    }

    [Fact]
    public async Task ReadRows_ByGrain_ReturnsOnlyThatGrainsReminders()
    {
        var grain = GrainId.Create("rollout", "r-1");
        await _table.UpsertRow(Entry(grain, "a", TimeSpan.FromSeconds(5)), Ct);
        await _table.UpsertRow(Entry(grain, "b", TimeSpan.FromSeconds(5)), Ct);
        await _table.UpsertRow(Entry(GrainId.Create("rollout", "r-10"), "a", TimeSpan.FromSeconds(5)), Ct);
        await _table.UpsertRow(Entry(GrainId.Create("target", "r-1"), "a", TimeSpan.FromSeconds(5)), Ct);

        var rows = (await _table.ReadRows(grain, Ct)).Reminders;

        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName).Order());
        Assert.All(rows, r => Assert.Equal(grain, r.GrainId));
    }

    [Fact]
    public async Task ReadRows_RangeWithBeginBelowEnd_ReturnsHashesAboveBeginUpToEnd()
    {
        var byHash = await UpsertManyAsync(40);

        var rows = await _table.ReadRows(Hash(byHash[10]), Hash(byHash[20]), Ct);

        // (begin, end]: the grain at begin is excluded, the grain at end included.
        Assert.Equal(byHash[11..21].Select(g => g.ToString()).Order(), Names(rows));
    }

    [Fact]
    public async Task ReadRows_RangeWithBeginAboveEnd_WrapsAroundTheRing()
    {
        var byHash = await UpsertManyAsync(40);

        var rows = await _table.ReadRows(Hash(byHash[30]), Hash(byHash[5]), Ct);

        var expected = byHash[31..].Concat(byHash[..6]).Select(g => g.ToString()).Order();
        Assert.Equal(expected, Names(rows));
    }

    [Fact]
    public async Task ReadRows_RangeWithBeginEqualEnd_ReturnsTheWholeRing()
    {
        var byHash = await UpsertManyAsync(40);

        var rows = await _table.ReadRows(Hash(byHash[7]), Hash(byHash[7]), Ct);

        Assert.Equal(40, rows.Reminders.Count);
    }

    [Fact]
    public async Task ReadRows_FullUnsignedRange_IncludesTheHighestHashes()
    {
        var byHash = await UpsertManyAsync(40);

        // (0, uint.MaxValue] is what a single silo owns apart from hash 0; hashes above
        // int.MaxValue must compare as unsigned.
        var rows = await _table.ReadRows(0u, uint.MaxValue, Ct);

        Assert.Equal(byHash.Count(g => Hash(g) != 0), rows.Reminders.Count);
        Assert.Contains(byHash, g => Hash(g) > int.MaxValue);
    }

    [Fact]
    public async Task TestOnlyClearTable_RemovesEveryReminder()
    {
        await UpsertManyAsync(5);

        await _table.TestOnlyClearTable(Ct);

        Assert.Empty((await _table.ReadRows(0u, 0u, Ct)).Reminders);
    }

    [Fact]
    public async Task ReadRow_TableReopenedOnSameStore_ReadsWhatWasUpserted()
    {
        var grain = GrainId.Create("rollout", "r-1");
        var etag = await _table.UpsertRow(Entry(grain, "watchdog", TimeSpan.FromSeconds(5)), Ct);
        await CloseAsync();

        _table = await OpenAsync();
        await _table.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(etag, (await _table.ReadRow(grain, "watchdog", Ct))!.ETag);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period, DateTime? start = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = start ?? Start,
        Period = period,
    };

    private static uint Hash(GrainId grain) => grain.GetUniformHashCode();

    private static IEnumerable<string> Names(ReminderTableData rows) =>
        rows.Reminders.Select(r => r.GrainId.ToString()).Order();

    /// <summary>One reminder for each of <paramref name="count"/> grains, returned in ring (hash) order.</summary>
    private async Task<GrainId[]> UpsertManyAsync(int count)
    {
        var grains = Enumerable.Range(0, count).Select(i => GrainId.Create("rollout", $"r-{i}")).ToArray();
        Assert.Equal(count, grains.Select(Hash).Distinct().Count());
        await Task.WhenAll(grains.Select(g => _table.UpsertRow(Entry(g, "watchdog", TimeSpan.FromSeconds(5)), Ct)));
        return [.. grains.OrderBy(Hash)];
    }
}
