using Fleet.Protocol.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Integration;

/// <summary>The agent stream is a trust boundary: what an agent says is validated before any grain sees it.</summary>
public sealed class AgentGatewayTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, Hello> BadHellos => new()
    {
        { "DNS-1123", new Hello { Name = "Bad_Name", Driver = "files" } },
        { "DNS-1123", new Hello { Name = new string('a', 64), Driver = "files" } },
        { "driver", new Hello { Name = "a1", Driver = "ftp" } },
        { "label key", WithLabel("bad key", "x") },
        { "label", WithLabel("env", "not a valid value!") },
        { "too many labels", WithLabels(65) },
        { "fact", WithFact("os", new string('x', 2000)) },
        { "fact", WithFact("o\u0000s", "linux") },
        { "agent version", new Hello { Name = "a1", Driver = "files", AgentVersion = new string('9', 65) } },
    };

    [Theory]
    [MemberData(nameof(BadHellos))]
    public async Task Connect_InvalidHello_IsRejectedAndNoTargetIsCreated(string reason, Hello hello)
    {
        await using var fleet = await FleetHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));

        Assert.Equal(HubMessage.BodyOneofCase.Rejected, call.ResponseStream.Current.BodyCase);
        Assert.Contains(reason, call.ResponseStream.Current.Rejected.Reason);
        Assert.Empty((await fleet.Admin.ListTargetsAsync(new Protocol.Admin.V1.ListRequest(), cancellationToken: Cancel)).Items);
    }

    [Fact]
    public async Task Connect_FirstMessageIsNotHello_IsRejected()
    {
        await using var fleet = await FleetHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);

        await call.RequestStream.WriteAsync(new AgentMessage { Report = new CapabilityReport { Key = "greeter", State = ResourceState.Ready } }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));

        Assert.Contains("hello", call.ResponseStream.Current.Rejected.Reason);
    }

    [Fact]
    public async Task Connect_ValidHello_ReceivesTheDesiredSetAndHeartbeatsAreAcknowledged()
    {
        await using var fleet = await FleetHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = WithLabel("env", "dev") }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));
        var desired = call.ResponseStream.Current.Desired;
        await call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 7 } }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));

        Assert.NotNull(desired);
        Assert.Empty(desired.Capabilities);
        Assert.Equal(7, call.ResponseStream.Current.HeartbeatAck.Sequence);
        Assert.True((await fleet.TargetAsync("a1")).Connected);
    }

    [Fact]
    public async Task Connect_OversizedMessage_IsRefusedAndTheHubKeepsServingOthers()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("good", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl, new GrpcChannelOptions { MaxSendMessageSize = null });
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);
        var huge = WithFact("blob", "x");
        huge.Facts["blob"] = new string('x', 5 * 1024 * 1024);

        var error = await Record.ExceptionAsync(async () =>
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = huge }, Cancel);
            await call.ResponseStream.MoveNext(Cancel);
        });

        // The hub answers ResourceExhausted and resets the stream; the client sees whichever arrives first.
        Assert.Contains(Assert.IsType<RpcException>(error).StatusCode, new[] { StatusCode.ResourceExhausted, StatusCode.Cancelled });
        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(() => fleet.ReadTargetFile("good", "etc/greeter/hello.txt") == "hello good in eu v1", "the good agent is unaffected");
    }

    private static Hello WithLabel(string key, string value)
    {
        var hello = new Hello { Name = "a1", Driver = "files" };
        hello.Labels[key] = value;
        return hello;
    }

    private static Hello WithLabels(int count)
    {
        var hello = new Hello { Name = "a1", Driver = "files" };
        for (var i = 0; i < count; i++)
        {
            hello.Labels[$"k{i}"] = "v";
        }

        return hello;
    }

    private static Hello WithFact(string key, string value)
    {
        var hello = new Hello { Name = "a1", Driver = "files" };
        hello.Facts[key] = value;
        return hello;
    }
}
