using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// The desired set a target receives stays within what its agent's channel accepts: apply refuses what would take a
/// placed target over, and a target that outgrows it later has the overflowing capability Failed while the rest flows.
/// </summary>
public sealed class DesiredSetLimitTests
{
    private const int FileBytes = 900_000;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Two files of 900 KB each, placed on targets labelled <paramref name="label"/>=yes.</summary>
    private static string Big(string name, string label) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: {{name}}
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { {{label}}: "yes" }
          resources:
            - id: one
              file:
                path: etc/{{name}}/one.txt
                content: "{{new string('a', FileBytes)}}"
            - id: two
              file:
                path: etc/{{name}}/two.txt
                content: "{{new string('b', FileBytes)}}"
        """;

    private const string Tiny = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: tiny
        spec:
          version: "1"
          resources:
            - id: note
              file:
                path: etc/tiny.txt
                content: "tiny ${target.name}"
        """;

    [Fact]
    public async Task Apply_WouldTakeAPlacedTargetOverTheBound_IsRefusedNamingTheTargetAndSize()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "a=yes", "b=yes", "c=yes");
        await fleet.WaitForConnectedAsync(1);

        Assert.Empty((await fleet.ApplyAsync(Big("big-a", "a"))).Errors);
        Assert.Empty((await fleet.ApplyAsync(Big("big-b", "b"))).Errors);
        var refused = await fleet.ApplyAsync(Big("big-c", "c"));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("spec.resources", error.Field);
        Assert.Matches($"^target t1: its desired set would be [0-9]+ bytes with this capability \\([0-9]+ bytes\\), over the {AgentStreamLimits.MaxDesiredSetBytes} bytes an agent receives$", error.Message);
        var missing = await Assert.ThrowsAsync<RpcException>(() => fleet.CapabilityAsync("big-c"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        // What fits still lands, next to the two large ones.
        Assert.Empty((await fleet.ApplyAsync(Tiny)).Errors);
        await Eventually.Holds(async () => (await fleet.TargetAsync("t1")).Capabilities is var c
            && c.GetValueOrDefault("big-a") is { State: TargetCapabilityState.Ready } && c.GetValueOrDefault("big-b") is { State: TargetCapabilityState.Ready } && c.GetValueOrDefault("tiny") is { State: TargetCapabilityState.Ready },
            "big-a, big-b and tiny Ready on t1");
        Assert.Equal("tiny t1", fleet.ReadTargetFile("t1", "etc/tiny.txt"));
    }

    [Fact]
    public async Task Join_TargetPlacedForMoreThanTheBound_FailsTheOverflowingCapabilityAndTheRestFlows()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "a=yes", "b=yes");
        await fleet.WaitForConnectedAsync(1);
        // Each fits every target placed when applied; together they are more than one agent receives.
        foreach (var (name, label) in new[] { ("big-a", "a"), ("big-b", "b"), ("big-c", "c") })
        {
            var applied = await fleet.ApplyAsync(Big(name, label));
            Assert.Empty(applied.Errors);
            await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, $"{name} rolled out");
        }

        var tiny = await fleet.ApplyAsync(Tiny);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(tiny.RolloutId)).Phase == RolloutPhase.Succeeded, "tiny rolled out");

        fleet.StartAgent("t2", "a=yes", "b=yes", "c=yes");

        await Eventually.Holds(async () => (await fleet.TargetAsync("t2")).Capabilities is var c
            && c.GetValueOrDefault("big-a") is { State: TargetCapabilityState.Ready } && c.GetValueOrDefault("big-b") is { State: TargetCapabilityState.Ready }
            && c.GetValueOrDefault("big-c") is { State: TargetCapabilityState.Failed } && c.GetValueOrDefault("tiny") is { State: TargetCapabilityState.Ready },
            "big-a, big-b and tiny Ready on t2, big-c Failed");
        var t2 = await fleet.TargetAsync("t2");
        Assert.True(t2.Connected);
        Assert.Matches($"^target t2: this capability renders to [0-9]+ bytes, which with the other capabilities of the target would take its desired set over the {AgentStreamLimits.MaxDesiredSetBytes} bytes an agent receives$", t2.Capabilities["big-c"].Message);
        Assert.Equal(FileBytes, fleet.ReadTargetFile("t2", "etc/big-b/two.txt")?.Length);
        Assert.Null(fleet.ReadTargetFile("t2", "etc/big-c/one.txt"));
        Assert.Equal("tiny t2", fleet.ReadTargetFile("t2", "etc/tiny.txt"));
    }
}
