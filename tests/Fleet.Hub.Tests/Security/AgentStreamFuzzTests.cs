using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// An enrolled but hostile agent throws malformed and oversized messages at the agent stream: broken
/// gRPC framing, random protobuf, huge frames, invalid fields, floods. After every one the hub still
/// answers and a well-behaved agent on the same hub still receives what is applied.
/// </summary>
public sealed class AgentStreamFuzzTests
{
    private const string ConnectPath = "/fleet.agent.v1.AgentGateway/Connect";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MalformedAndOversizedMessages_LeaveTheHubUpAndOtherAgentsUnaffected()
    {
        await using var hub = await SecureHub.StartAsync();
        var operatorToken = await hub.CreateTokenAsync("operator");
        hub.StartAgent(hub.AgentOptions("bystander", await hub.CreateTokenAsync("agent"), "env=dev", "region=eu"));
        await hub.WaitForConnectedAsync("bystander");
        using var hostile = await TestCertificates.EnrollAsync(hub.Channel(), await hub.CreateTokenAsync("agent"), "hostile");
        var random = new Random(20240611);
        var version = 0;

        var rawPayloads = new List<(string What, byte[] Body)>
        {
            ("a frame declaring more bytes than it sends", Frame(new byte[10], declaredLength: 100)),
            ("a frame declaring 2 GiB", Frame([], declaredLength: int.MaxValue)),
            ("a compressed frame without an encoding", Frame(new AgentMessage { Hello = Hello("hostile") }.ToByteArray(), compressed: true)),
            ("a lone length prefix byte", [0, 0]),
            ("a 5 MiB message", Frame(new byte[5 * 1024 * 1024])),
        };
        for (var i = 0; i < 20; i++)
        {
            var junk = new byte[random.Next(1, 4096)];
            random.NextBytes(junk);
            rawPayloads.Add(($"random protobuf #{i}", Frame(junk)));
            rawPayloads.Add(($"random bytes #{i}", junk));
        }

        foreach (var (what, body) in rawPayloads)
        {
            await SendRaw(hub, hostile, body);
            await AssertHealthy(hub, operatorToken, ++version, what);
        }

        var messages = new List<(string What, AgentMessage[] Messages)>
        {
            ("a report before the hello", [new AgentMessage { Report = new CapabilityReport { Key = "x" } }]),
            ("an empty message", [new AgentMessage()]),
            ("a hello with 10000 labels", [new AgentMessage { Hello = WithLabels(Hello("hostile"), 10_000) }]),
            ("a hello with a bad driver and facts", [new AgentMessage { Hello = WithFacts(new Hello { Name = "hostile", Driver = "\u0000rm -rf" }, 100) }]),
            ("a hello then oversized, negative and bogus reports", [
                new AgentMessage { Hello = Hello("hostile") },
                new AgentMessage { Report = new CapabilityReport { Key = new string('k', 10_000), Revision = -5, Hash = new string('h', 1000) } },
                new AgentMessage { Report = ReportWithResources(5000) },
                new AgentMessage { Report = new CapabilityReport { Key = "ghost", State = (ResourceState)999, Message = new string('m', 100_000) } },
                new AgentMessage { Hello = Hello("hostile") },
            ]),
            ("a flood of heartbeats", [new AgentMessage { Hello = Hello("hostile") }, .. Enumerable.Range(0, 3000).Select(i => new AgentMessage { Heartbeat = new Heartbeat { Sequence = i } })]),
        };
        foreach (var (what, batch) in messages)
        {
            await SendMessages(hub, hostile, batch);
            await AssertHealthy(hub, operatorToken, ++version, what);
        }

        var hostileTarget = await hub.Admin(operatorToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
        Assert.All(hostileTarget.Items.Where(t => t.Name == "hostile").SelectMany(t => t.Capabilities.Keys), key => Assert.True(key.Length <= 253));
    }

    private static async Task AssertHealthy(SecureHub hub, string operatorToken, int version, string after)
    {
        var admin = hub.Admin(operatorToken);
        await admin.ApplyAsync(new ApplyRequest { Source = "f.yaml", Yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter(version.ToString()), FirstLine = 1 }, cancellationToken: Cancel);
        await Eventually.Holds(
            () => hub.ReadTargetFile("bystander", "etc/greeter/hello.txt") == $"hello bystander in eu v{version}",
            $"the bystander received revision {version} after {after}");
        Assert.True(await hub.IsConnectedAsync("bystander"), $"the bystander stayed connected after {after}");
    }

    private static async Task SendRaw(SecureHub hub, X509Certificate2 certificate, byte[] body)
    {
        using var handler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(hub.CaPath), certificate) };
        using var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.Url, ConnectPath)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !Cancel.IsCancellationRequested)
        {
            // The hub may reset the stream; what matters is that it stays up for everyone else.
        }
    }

    private static async Task SendMessages(SecureHub hub, X509Certificate2 certificate, AgentMessage[] messages)
    {
        using var channel = GrpcChannel.ForAddress(hub.Url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(hub.CaPath), certificate) },
            MaxSendMessageSize = null,
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: timeout.Token);
        var drain = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message, timeout.Token);
            }

            await call.RequestStream.CompleteAsync();
            await drain;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException && !Cancel.IsCancellationRequested)
        {
            // Refused or reset: expected for most of these.
        }

        await drain.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static byte[] Frame(byte[] payload, int? declaredLength = null, bool compressed = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), declaredLength ?? payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static Hello Hello(string name) => new() { Name = name, Driver = "files" };

    private static Hello WithLabels(Hello hello, int count)
    {
        for (var i = 0; i < count; i++)
        {
            hello.Labels[$"k{i}"] = "v";
        }

        return hello;
    }

    private static Hello WithFacts(Hello hello, int count)
    {
        for (var i = 0; i < count; i++)
        {
            hello.Facts[$"f{i}"] = new string('x', 2000);
        }

        return hello;
    }

    private static CapabilityReport ReportWithResources(int count)
    {
        var report = new CapabilityReport { Key = "many", Revision = 1, State = ResourceState.Ready };
        for (var i = 0; i < count; i++)
        {
            report.Resources.Add(new ResourceReport { Id = $"r{i}", State = ResourceState.Ready });
        }

        return report;
    }
}
