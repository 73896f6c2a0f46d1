using System.Net;
using System.Text;
using Fleet.Cli;
using Fleet.Cli.Output;
using Fleet.Hub.Tests.Integration;
using Fleet.Hub.Tests.Postgres;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using TestCapabilities = Fleet.Hub.Tests.Integration.Capabilities;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>
/// A hub on a PostgreSQL server of this test's own, stopped and started under it: readiness follows the server,
/// changes are refused with a clear error meanwhile, an agent's stream stays open, and all of it recovers without a
/// restart of the hub.
/// </summary>
public sealed class PostgresOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outage_PostgresStopsThenStarts_ReadinessRefusalsAndAgentStreamFollowWithoutHubRestart()
    {
        // Not the assembly's shared server: this one is stopped.
        await using var server = new PostgresServer();
        var database = await server.CreateDatabaseAsync(Ct);
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(postgres: database, configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);
        using var agent = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Ct);
        var hello = new Hello { Name = "a1", Driver = "files" };
        hello.Labels.Add(new Dictionary<string, string> { ["env"] = "dev", ["region"] = "eu" });
        await agent.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, Ct);
        Assert.True(await agent.ResponseStream.MoveNext(Ct));
        await fleet.ApplyAsync(TestCapabilities.Greeter("1"));
        var greeter = await NextDesiredAsync(agent, revision: 1);
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await health.GetAsync("/readyz"));

        await server.StopAsync();

        await ReadyzAsync(health, answer => answer.Status == HttpStatusCode.ServiceUnavailable && answer.Body.StartsWith("storage unavailable: ", StringComparison.Ordinal), "/readyz 503 storage unavailable");
        var (_, reason) = await health.GetAsync("/readyz");
        Assert.DoesNotContain("Username", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Single(reason.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await health.GetAsync("/healthz"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => fleet.ApplyAsync(TestCapabilities.Greeter("2")));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.StartsWith("storage unavailable: ", refused.Status.Detail, StringComparison.Ordinal);

        var file = Path.Combine(fleet.Root, "greeter-2.yaml");
        await File.WriteAllTextAsync(file, TestCapabilities.Greeter("2"), Ct);
        var (exit, stdout, stderr) = await CliAsync("--hub", fleet.HubUrl.ToString(), "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: storage unavailable: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // A report that cannot be stored now must not end the agent's stream, nor be lost.
        await agent.RequestStream.WriteAsync(new AgentMessage { Report = Report(greeter, ResourceState.Drifted, "drifted: etc/greeter/hello.txt: missing") }, Ct);
        await agent.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 1 } }, Ct);
        await agent.RequestStream.WriteAsync(new AgentMessage { Report = Report(greeter, ResourceState.Drifted, "drifted: etc/greeter/hello.txt: content differs") }, Ct);
        // The hub handles a stream's messages in order: once its target shows the second report (from memory, it is
        // not stored), heartbeat 1 was handled during the outage too.
        await Eventually.Holds(
            async () => (await fleet.TargetAsync("a1")).Capabilities["greeter"].Message == "drifted: etc/greeter/hello.txt: content differs",
            "a1 shows the second report during the outage");

        await server.StartAgainAsync();

        await ReadyzAsync(health, answer => answer == (HttpStatusCode.OK, "ready\n"), "/readyz 200 ready again");
        await agent.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 2 } }, Ct);
        // The first ack is for heartbeat 2: heartbeat 1 came after reports that were not stored, so it had none.
        Assert.Equal(2, await NextHeartbeatAckAsync(agent));
        // The receipt means stored, not only held in memory.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync(Ct);
            await using var stored = new NpgsqlCommand("SELECT COUNT(*) FROM grain_state WHERE state_name = 'target' AND data::text LIKE '%content differs%';", connection);
            Assert.Equal(1L, await stored.ExecuteScalarAsync(Ct));
        }

        var target = await fleet.TargetAsync("a1");
        Assert.True(target.Connected);
        Assert.Equal((TargetCapabilityState.Drifted, "drifted: etc/greeter/hello.txt: content differs"), (target.Capabilities["greeter"].State, target.Capabilities["greeter"].Message));

        var applied = await fleet.ApplyAsync(TestCapabilities.Greeter("2"));
        Assert.Equal(2, applied.Revision);
        await NextDesiredAsync(agent, revision: 2);
        await agent.RequestStream.CompleteAsync();
    }

    private static async Task ReadyzAsync(HealthListener health, Func<(HttpStatusCode Status, string Body), bool> holds, string what)
    {
        (HttpStatusCode, string) last = default;
        await Eventually.Holds(async () => holds(last = await health.GetAsync("/readyz")), what, diagnostics: () => $"last answer: {last}");
    }

    /// <summary>Reads the stream until a desired set carries greeter at <paramref name="revision"/>.</summary>
    private static async Task<DesiredCapability> NextDesiredAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> agent, long revision)
    {
        while (await agent.ResponseStream.MoveNext(Ct))
        {
            if (agent.ResponseStream.Current.Desired?.Capabilities.FirstOrDefault(c => c.Key == "greeter") is { } greeter && greeter.Revision == revision)
            {
                return greeter;
            }
        }

        Assert.Fail($"the stream ended before greeter revision {revision} arrived");
        return null!;
    }

    private static async Task<long> NextHeartbeatAckAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> agent)
    {
        while (await agent.ResponseStream.MoveNext(Ct))
        {
            if (agent.ResponseStream.Current.HeartbeatAck is { } ack)
            {
                return ack.Sequence;
            }
        }

        Assert.Fail("the stream ended before a heartbeat was acknowledged");
        return 0;
    }

    private static CapabilityReport Report(DesiredCapability desired, ResourceState state, string message)
    {
        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash, State = state, Message = message };
        report.Resources.Add(desired.Resources.Select(r => new ResourceReport { Id = r.Id, Hash = r.Hash, State = state, Message = message }));
        return report;
    }

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var stdin = new MemoryStream([], writable: false);
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = await FleetCli.RunAsync(args, CliConsole.Over(stdin, stdout, stderr), Ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
