using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' cluster membership in the hub's PostgreSQL database (tables <c>membership_version</c> and
/// <c>membership</c>, schema 3), one cluster per <see cref="ClusterOptions.ClusterId"/>.
/// </summary>
/// <remarks>
/// <para>
/// Own table rather than Microsoft.Orleans.Clustering.AdoNet: the provider expects nine stored
/// queries whose parameters and result shapes are only defined by its source, in a schema beside
/// ours; here the same data source, migrations and error handling serve grain state, reminders,
/// security and membership alike, and the protocol below is small enough to test directly.
/// </para>
/// <para>
/// The protocol Orleans relies on: every insert or update of a member row names the table version
/// it read; it succeeds only if that version's etag is still current, and then replaces the version
/// (with the caller's number) and bumps its etag — all in one transaction, so of two silos that
/// read the same version only one can change the table. A member row's own etag guards it the same
/// way. <see cref="UpdateIAmAlive"/> touches neither: it is a heartbeat, not a membership change.
/// </para>
/// </remarks>
internal sealed class PostgresMembershipTable(PostgresDatabase database, IOptions<ClusterOptions> cluster) : IMembershipTable
{
    private const int ActiveStatus = (int)SiloStatus.Active;

    private readonly string _clusterId = cluster.Value.ClusterId;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        if (!tryInitTableVersion)
        {
            await database.InitializeAsync().ConfigureAwait(false);
            return;
        }

        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO membership_version (cluster_id, version, etag, updated_at) VALUES (@cluster, 0, 0, now())
            ON CONFLICT (cluster_id) DO NOTHING;
            """, connection);
        command.Parameters.AddWithValue("cluster", _clusterId);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        // The member rows go with their version row (ON DELETE CASCADE).
        await using var command = new NpgsqlCommand("DELETE FROM membership_version WHERE cluster_id = @cluster;", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "DELETE FROM membership WHERE cluster_id = @cluster AND status <> @active AND i_am_alive < @before;", connection);
        command.Parameters.AddWithValue("cluster", _clusterId);
        command.Parameters.AddWithValue("active", ActiveStatus);
        command.Parameters.AddWithValue("before", beforeDate.UtcDateTime);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key);

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        ChangeAsync(tableVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO membership (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                        suspect_times, start_time, i_am_alive, etag)
                VALUES (@cluster, @address, @port, @generation, @silo_name, @host_name, @status, @proxy_port,
                        @suspect_times, @start_time, @i_am_alive, 0)
                ON CONFLICT DO NOTHING;
                """, connection, transaction);
            AddEntry(command, entry);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var rowEtag))
        {
            return Task.FromResult(false);
        }

        return ChangeAsync(tableVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                UPDATE membership
                SET silo_name = @silo_name, host_name = @host_name, status = @status, proxy_port = @proxy_port,
                    suspect_times = @suspect_times, start_time = @start_time, i_am_alive = @i_am_alive, etag = etag + 1
                WHERE cluster_id = @cluster AND address = @address AND port = @port AND generation = @generation AND etag = @etag;
                """, connection, transaction);
            AddEntry(command, entry);
            command.Parameters.AddWithValue("etag", rowEtag);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        });
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            UPDATE membership SET i_am_alive = @i_am_alive
            WHERE cluster_id = @cluster AND address = @address AND port = @port AND generation = @generation;
            """, connection);
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("i_am_alive", Utc(entry.IAmAliveTime));
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="write"/> only if <paramref name="expected"/> is still the table's version,
    /// and moves the version on in the same transaction; false (and nothing written) otherwise.
    /// </summary>
    private async Task<bool> ChangeAsync(TableVersion expected, Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> write)
    {
        if (!long.TryParse(expected.VersionEtag, NumberStyles.None, CultureInfo.InvariantCulture, out var versionEtag))
        {
            return false;
        }

        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var version = new NpgsqlCommand(
            """
            UPDATE membership_version SET version = @version, etag = etag + 1, updated_at = now()
            WHERE cluster_id = @cluster AND etag = @etag;
            """, connection, transaction))
        {
            version.Parameters.AddWithValue("cluster", _clusterId);
            version.Parameters.AddWithValue("version", expected.Version);
            version.Parameters.AddWithValue("etag", versionEtag);

            // The row lock this takes orders concurrent changes; the loser re-reads the etag and matches nothing.
            if (await version.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        if (!await write(connection, transaction).ConfigureAwait(false))
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
            return false;
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return true;
    }

    private async Task<MembershipTableData> ReadAsync(SiloAddress? key)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        // One snapshot for the version and the rows, so the rows are exactly those of that version.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead).ConfigureAwait(false);
        TableVersion version;
        await using (var command = new NpgsqlCommand("SELECT version, etag FROM membership_version WHERE cluster_id = @cluster;", connection, transaction))
        {
            command.Parameters.AddWithValue("cluster", _clusterId);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                // Not initialised yet: Orleans treats version 0 with an unknown etag as "insert the version row first".
                return new MembershipTableData(new TableVersion(0, "0"));
            }

            version = new TableVersion(reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
        }

        var members = new List<Tuple<MembershipEntry, string>>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive, etag
            FROM membership WHERE cluster_id = @cluster
            """ + (key is null ? ";" : " AND address = @address AND port = @port AND generation = @generation;"), connection, transaction))
        {
            command.Parameters.AddWithValue("cluster", _clusterId);
            if (key is not null)
            {
                AddKey(command, key);
            }

            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var entry = new MembershipEntry
                {
                    SiloAddress = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2)),
                    SiloName = reader.GetString(3),
                    HostName = reader.GetString(4),
                    Status = (SiloStatus)reader.GetInt32(5),
                    ProxyPort = reader.GetInt32(6),
                    SuspectTimes = ReadSuspectTimes(reader.GetString(7)),
                    StartTime = reader.GetDateTime(8),
                    IAmAliveTime = reader.GetDateTime(9),
                };
                members.Add(Tuple.Create(entry, reader.GetInt64(10).ToString(CultureInfo.InvariantCulture)));
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return new MembershipTableData(members, version);
    }

    private void AddKey(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.AddWithValue("cluster", _clusterId);
        command.Parameters.AddWithValue("address", silo.Endpoint.Address.ToString());
        command.Parameters.AddWithValue("port", silo.Endpoint.Port);
        command.Parameters.AddWithValue("generation", silo.Generation);
    }

    private void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("silo_name", entry.SiloName ?? "");
        command.Parameters.AddWithValue("host_name", entry.HostName ?? "");
        command.Parameters.AddWithValue("status", (int)entry.Status);
        command.Parameters.AddWithValue("proxy_port", entry.ProxyPort);
        command.Parameters.AddWithValue("suspect_times", WriteSuspectTimes(entry.SuspectTimes));
        command.Parameters.AddWithValue("start_time", Utc(entry.StartTime));
        command.Parameters.AddWithValue("i_am_alive", Utc(entry.IAmAliveTime));
    }

    // Orleans' times are UTC whatever their Kind says; Npgsql writes only UTC DateTimes to timestamptz.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    /// <summary>The votes as a JSON array of [silo, time] pairs: a silo in its parsable form, the time as round-trip text.</summary>
    private static string WriteSuspectTimes(List<Tuple<SiloAddress, DateTime>>? votes) =>
        JsonSerializer.Serialize(
            (votes ?? []).Select(v => new[] { v.Item1.ToParsableString(), Utc(v.Item2).ToString("O", CultureInfo.InvariantCulture) }));

    private static List<Tuple<SiloAddress, DateTime>> ReadSuspectTimes(string json) =>
        (JsonSerializer.Deserialize<string[][]>(json) ?? [])
            .Select(v => Tuple.Create(
                SiloAddress.FromParsableString(v[0]),
                DateTime.Parse(v[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)))
            .ToList();
}
