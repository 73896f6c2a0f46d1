using System.Net;
using Fleet.Hub.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Fleet.Hub.Tests.Postgres;

/// <summary>
/// The membership table keeps Orleans' table-version protocol: a change names the version it read and
/// succeeds only while that version is current; a row's own etag guards it; clusters stay apart.
/// </summary>
public sealed class PostgresMembershipTableTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InsertRow_WithTheCurrentVersion_StoresTheRowAndMovesTheVersionOn()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync(Ct));
        var table = Table(database, "a");
        await table.InitializeMembershipTable(true);
        var empty = await table.ReadAll();
        Assert.Empty(empty.Members);

        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRow(entry, empty.Version.Next()));

        var read = await table.ReadAll();
        var (stored, _) = Assert.Single(read.Members);
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        Assert.Equal(entry.StartTime, stored.StartTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(empty.Version.Version + 1, read.Version.Version);
        Assert.NotEqual(empty.Version.VersionEtag, read.Version.VersionEtag);
    }

    [Fact]
    public async Task InsertRowAndUpdateRow_WithAStaleVersionOrRowEtag_ChangeNothing()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync(Ct));
        var table = Table(database, "a");
        await table.InitializeMembershipTable(true);
        var start = await table.ReadAll();
        Assert.True(await table.InsertRow(Entry(11111, SiloStatus.Joining), start.Version.Next()));

        // A second silo that read the same version loses: only one of two concurrent changes wins.
        Assert.False(await table.InsertRow(Entry(11112, SiloStatus.Joining), start.Version.Next()));
        // The same silo twice is refused even with the current version.
        var current = await table.ReadAll();
        Assert.False(await table.InsertRow(Entry(11111, SiloStatus.Joining), current.Version.Next()));

        var (row, etag) = current.Members[0];
        var active = Entry(11111, SiloStatus.Active, row.SiloAddress);
        active.AddSuspector(Entry(11112, SiloStatus.Active).SiloAddress, DateTime.UtcNow);
        Assert.False(await table.UpdateRow(active, etag, start.Version.Next()), "a stale table version");
        Assert.False(await table.UpdateRow(active, etag + "9", current.Version.Next()), "a stale row etag");
        Assert.Equal(current.Version, (await table.ReadAll()).Version);

        Assert.True(await table.UpdateRow(active, etag, current.Version.Next()));
        var updated = Assert.Single((await table.ReadAll()).Members).Item1;
        Assert.Equal(SiloStatus.Active, updated.Status);
        var vote = Assert.Single(updated.SuspectTimes!);
        Assert.Equal(Entry(11112, SiloStatus.Active).SiloAddress, vote.Item1);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyTheTime_AndClustersStayApart()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync(Ct));
        var a = Table(database, "a");
        var b = Table(database, "b");
        await a.InitializeMembershipTable(true);
        await b.InitializeMembershipTable(true);
        var entry = Entry(11111, SiloStatus.Active);
        Assert.True(await a.InsertRow(entry, (await a.ReadAll()).Version.Next()));
        var before = await a.ReadAll();

        var alive = Entry(11111, SiloStatus.Active, entry.SiloAddress);
        alive.IAmAliveTime = entry.IAmAliveTime.AddSeconds(30);
        await a.UpdateIAmAlive(alive);

        var after = await a.ReadAll();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Members[0].Item2, after.Members[0].Item2);
        Assert.Equal(alive.IAmAliveTime, after.Members[0].Item1.IAmAliveTime, TimeSpan.FromMilliseconds(1));
        Assert.Empty((await b.ReadAll()).Members);
        Assert.Empty((await b.ReadRow(entry.SiloAddress)).Members);
        Assert.Single((await a.ReadRow(entry.SiloAddress)).Members);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyOldRowsOfSilosNotActive()
    {
        await using var database = new PostgresDatabase(await server.CreateDatabaseAsync(Ct));
        var table = Table(database, "a");
        await table.InitializeMembershipTable(true);
        var old = DateTime.UtcNow.AddDays(-2);
        foreach (var (port, status) in new[] { (11111, SiloStatus.Dead), (11112, SiloStatus.Active) })
        {
            var entry = Entry(port, status);
            entry.IAmAliveTime = old;
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }

        Assert.True(await table.InsertRow(Entry(11113, SiloStatus.Dead), (await table.ReadAll()).Version.Next()));

        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddDays(-1));

        Assert.Equal([11112, 11113], (await table.ReadAll()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order());
    }

    private static PostgresMembershipTable Table(PostgresDatabase database, string cluster) =>
        new(database, Options.Create(new ClusterOptions { ClusterId = cluster, ServiceId = cluster }));

    private static MembershipEntry Entry(int port, SiloStatus status, SiloAddress? address = null)
    {
        var now = DateTime.UtcNow;
        return new MembershipEntry
        {
            SiloAddress = address ?? SiloAddress.New(IPAddress.Loopback, port, 42),
            Status = status,
            ProxyPort = port + 1000,
            HostName = "host",
            SiloName = $"silo-{port}",
            StartTime = now,
            IAmAliveTime = now,
        };
    }
}
