using Fleet.Agent.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Dependencies;

public sealed class ReadinessGateTests
{
    private static Resource Resource(string id, params string[] dependsOn)
    {
        var resource = new Resource { Id = id, Hash = "h-" + id };
        resource.DependsOn.Add(dependsOn);
        return resource;
    }

    private static ResourceReport Outcome(string id, ResourceState state) => new() { Id = id, State = state };

    public static TheoryData<ResourceState[], ResourceState?, string?> Cases => new()
    {
        { [], null, null },
        { [ResourceState.Ready, ResourceState.Ready], null, null },
        { [ResourceState.Ready, ResourceState.Applying], ResourceState.Pending, "waiting for b to be ready" },
        { [ResourceState.Pending, ResourceState.Applying], ResourceState.Pending, "waiting for a, b to be ready" },
        { [ResourceState.Failed, ResourceState.Ready], ResourceState.Failed, "not applied: dependency a failed" },
        // A failure decides over a wait: the dependent cannot be applied in this revision until someone fixes a.
        { [ResourceState.Failed, ResourceState.Applying], ResourceState.Failed, "not applied: dependency a failed" },
        { [ResourceState.Failed, ResourceState.Failed], ResourceState.Failed, "not applied: dependencies a, b failed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hold_DependencyStates_DecideWhetherAndWhyTheResourceWaits(ResourceState[] states, ResourceState? held, string? message)
    {
        var gate = new ReadinessGate();
        var ids = new[] { "a", "b" }[..states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            gate.Record(Outcome(ids[i], states[i]));
        }

        var report = gate.Hold(Resource("app", ids));

        Assert.Equal(held, report?.State);
        Assert.Equal(message, report?.Message);
        if (report is not null)
        {
            Assert.Equal(("app", "h-app"), (report.Id, report.Hash));
        }
    }

    [Fact]
    public void Hold_DependencyNotSeenYet_Waits()
    {
        Assert.Equal("waiting for db to be ready", new ReadinessGate().Hold(Resource("app", "db"))?.Message);
    }

    [Fact]
    public void Record_SameIdTwice_TheFirstOutcomeCounts()
    {
        var gate = new ReadinessGate();
        gate.Record(Outcome("db", ResourceState.Ready));
        gate.Record(Outcome("db", ResourceState.Failed));

        Assert.Null(gate.Hold(Resource("app", "db")));
    }

    [Theory]
    [InlineData(ResourceState.Ready)]
    [InlineData(ResourceState.Applying)]
    [InlineData(ResourceState.Failed)]
    public void Hold_Awaiting_IsPendingWithTheHubsTextWhateverItsDependenciesState(ResourceState dependency)
    {
        var gate = new ReadinessGate();
        gate.Record(Outcome("db", dependency));
        var app = Resource("app", "db");
        app.Awaiting = "waiting for db to report Ready with its observed state";

        var report = gate.Hold(app);

        Assert.Equal(("app", "h-app", ResourceState.Pending, "waiting for db to report Ready with its observed state", ""),
            (report?.Id, report?.Hash, report?.State, report?.Message, report?.ObservedJson));
    }

    [Fact]
    public void Hold_DependencyAwaiting_TheDependentWaitsForIt()
    {
        var gate = new ReadinessGate();
        gate.Record(Outcome("db", ResourceState.Ready));
        var app = Resource("app", "db");
        app.Awaiting = "waiting for db";
        gate.Record(gate.Hold(app)!);

        Assert.Equal((ResourceState.Pending, "waiting for app to be ready"), (gate.Hold(Resource("web", "app"))?.State, gate.Hold(Resource("web", "app"))?.Message));
    }
}
