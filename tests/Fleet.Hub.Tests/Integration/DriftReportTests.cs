using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Integration;

/// <summary>What an agent says about drift is what operators see on the target.</summary>
public sealed class DriftReportTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_DriftedThenCorrected_TargetShowsDriftedWithWhatDiffersThenReady()
    {
        await using var fleet = await FleetHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(fleet.HubUrl);
        using var call = new AgentGateway.AgentGatewayClient(channel).Connect(cancellationToken: Cancel);
        var hello = new Hello { Name = "a1", Driver = "files" };
        hello.Labels.Add(new Dictionary<string, string> { ["env"] = "dev", ["region"] = "eu" });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));

        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        DesiredCapability? greeter = null;
        while (greeter is null && await call.ResponseStream.MoveNext(Cancel))
        {
            greeter = call.ResponseStream.Current.Desired?.Capabilities.FirstOrDefault(c => c.Key == "greeter");
        }

        Assert.NotNull(greeter);
        var drifted = Report(greeter, ResourceState.Drifted, "drifted: etc/greeter/hello.txt: missing");
        await call.RequestStream.WriteAsync(new AgentMessage { Report = drifted }, Cancel);
        await Eventually.Holds(
            async () => (await fleet.TargetAsync("a1")).Capabilities.TryGetValue("greeter", out var g) && g is { State: TargetCapabilityState.Drifted, Message: "drifted: etc/greeter/hello.txt: missing", Revision: 1 },
            "a1 shows greeter Drifted");

        await call.RequestStream.WriteAsync(new AgentMessage { Report = Report(greeter, ResourceState.Ready, "") }, Cancel);
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities.TryGetValue("greeter", out var g) && g is { State: TargetCapabilityState.Ready }, "a1 shows greeter Ready again");
        await call.RequestStream.CompleteAsync();
    }

    private static CapabilityReport Report(DesiredCapability desired, ResourceState state, string message)
    {
        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash, State = state, Message = message };
        report.Resources.Add(desired.Resources.Select(r => new ResourceReport { Id = r.Id, Hash = r.Hash, State = state, Message = message }));
        return report;
    }
}
