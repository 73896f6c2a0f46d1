using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Targets;

/// <summary>
/// What <c>fleet get targets</c> shows for a capability: a report counts only for the render it was made for. An agent
/// that reported Ready and then was sent a new render of the same revision (its labels changed) is Applying until it
/// reports on that one. The agent here is a raw stream, so that it can stay silent after the new render.
/// </summary>
public sealed class TargetCapabilityStateTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_ReadyReportedForAnEarlierRenderOfTheRevision_IsApplyingNotReady()
    {
        await using var fleet = await FleetHarness.StartAsync();
        Assert.Empty((await fleet.ApplyAsync(Integration.Capabilities.Greeter("1"))).Errors);
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);

        // First in region eu: receive the render and report it Ready.
        var first = await ConnectAsync(channel, "eu");
        var eu = await NextGreeterAsync(first, hash: null);
        await first.RequestStream.WriteAsync(new AgentMessage
        {
            Report = new CapabilityReport { Key = "greeter", Revision = eu.Revision, Hash = eu.Hash, State = ResourceState.Ready },
        }, Cancel);
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities.GetValueOrDefault("greeter")?.State == TargetCapabilityState.Ready, "greeter Ready on a1");
        await first.RequestStream.CompleteAsync();
        first.Dispose();

        // Then in region us: the same revision renders differently, and this agent says nothing about it.
        using var second = await ConnectAsync(channel, "us");
        var us = await NextGreeterAsync(second, hash: eu.Hash);
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Connected, "a1 connected again");
        var shown = (await fleet.TargetAsync("a1")).Capabilities["greeter"];

        Assert.Equal(eu.Revision, us.Revision);
        Assert.Equal((TargetCapabilityState.Applying, eu.Revision, eu.Revision), (shown.State, shown.Revision, shown.DesiredRevision));
        Assert.Equal($"updating to the current render of revision {eu.Revision} (reported Ready for an earlier one)", shown.Message);
    }

    private static async Task<AsyncDuplexStreamingCall<AgentMessage, HubMessage>> ConnectAsync(GrpcChannel channel, string region)
    {
        var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);
        var hello = new Hello { Name = "a1", Driver = "files" };
        hello.Labels["env"] = "dev";
        hello.Labels["region"] = region;
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, Cancel);
        return call;
    }

    /// <summary>The first desired set with greeter rendered other than <paramref name="hash"/>.</summary>
    private static async Task<DesiredCapability> NextGreeterAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, string? hash)
    {
        while (await call.ResponseStream.MoveNext(Cancel))
        {
            if (call.ResponseStream.Current.Desired?.Capabilities.FirstOrDefault(c => c.Key == "greeter") is { } greeter && greeter.Hash != hash)
            {
                return greeter;
            }
        }

        throw new InvalidOperationException("the stream ended before greeter was sent");
    }
}
