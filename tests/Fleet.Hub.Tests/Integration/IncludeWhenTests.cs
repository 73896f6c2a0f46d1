using Fleet.Protocol.Admin.V1;
namespace Fleet.Hub.Tests.Integration;

/// <summary><c>includeWhen</c> end to end: a resource reaches only the targets whose labels include it.</summary>
public sealed class IncludeWhenTests
{
    [Fact]
    public async Task Apply_ResourceWithIncludeWhen_IsWrittenOnlyOnTargetsWithTheLabel()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("canary", "env=dev", "region=eu", "ring=canary");
        fleet.StartAgent("stable", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(2);

        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1", extra: """
                - id: notes
                  file: { path: etc/greeter/canary.txt, content: "early on ${target.name}" }
                  includeWhen: [ "${has(target.labels.ring) && target.labels.ring == 'canary'}" ]
            """));

        Assert.Equal("created", applied.Outcome);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "rollout succeeded");
        Assert.Equal("early on canary", fleet.ReadTargetFile("canary", "etc/greeter/canary.txt"));
        Assert.Null(fleet.ReadTargetFile("stable", "etc/greeter/canary.txt"));
        Assert.Equal("hello stable in eu v1", fleet.ReadTargetFile("stable", "etc/greeter/hello.txt"));
    }
}
