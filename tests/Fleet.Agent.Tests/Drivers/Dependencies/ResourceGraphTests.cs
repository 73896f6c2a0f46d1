using Fleet.Agent.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Dependencies;

public sealed class ResourceGraphTests
{
    /// <summary>Resources written as "id" or "id:dep1,dep2", in sent order.</summary>
    private static DesiredCapability Capability(params string[] resources)
    {
        var desired = new DesiredCapability { Key = "c", Revision = 1, Hash = "h" };
        foreach (var spec in resources)
        {
            var parts = spec.Split(':', 2);
            var resource = new Resource { Id = parts[0], Hash = "h-" + parts[0], File = new FileResource { Path = parts[0] } };
            if (parts.Length == 2)
            {
                resource.DependsOn.Add(parts[1].Split(','));
            }

            desired.Resources.Add(resource);
        }

        return desired;
    }

    public static TheoryData<string[], string[]> Orders => new()
    {
        // No depends_on at all: exactly the sent order, as before dependencies existed.
        { ["a", "b", "c"], ["a", "b", "c"] },
        // Already dependencies first (what the hub sends): unchanged.
        { ["db", "app:db", "web:app"], ["db", "app", "web"] },
        // Sent in the wrong order: dependencies move ahead, the rest keeps its place.
        { ["web:app", "app:db", "db", "other"], ["db", "app", "web", "other"] },
        // A resource free to go early goes in its sent place, not after everything.
        { ["app:db", "free", "db"], ["free", "db", "app"] },
        // Diamond; repeated names in one depends_on count once.
        { ["top:left,right,left", "left:base", "right:base", "base"], ["base", "left", "right", "top"] },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Build_ValidDependencies_PutsEachAfterWhatItDependsOnKeepingTheSentOrderOtherwise(string[] resources, string[] expected)
    {
        var graph = ResourceGraph.Build(Capability(resources));

        Assert.Null(graph.Error);
        Assert.Equal(expected, graph.Order.Select(r => r.Id));
    }

    [Fact]
    public void Build_Preference_AppliesOnlyWhereDependenciesLeaveAChoice()
    {
        // "ns" is preferred (0) but depends on "setup": it cannot go before it, and still goes before "cm".
        var desired = Capability("cm", "ns:setup", "setup");
        var graph = ResourceGraph.Build(desired, r => r.Id == "ns" ? 0 : 2);

        Assert.Equal(["setup", "ns", "cm"], graph.Order.Select(r => r.Id));
    }

    public static TheoryData<string[], string> Refusals => new()
    {
        { ["app:dbx"], "invalid depends_on, nothing applied: app depends on unknown resource \"dbx\"" },
        { ["a:a"], "invalid depends_on, nothing applied: dependency cycle: a depends on itself" },
        { ["a:b", "b:a"], "invalid depends_on, nothing applied: dependency cycle: a → b → a" },
        { ["x", "a:c", "b:a", "c:b"], "invalid depends_on, nothing applied: dependency cycle: a → c → b → a" },
        // Every problem at once.
        { ["a:b,nope", "b:a", "c:"], "invalid depends_on, nothing applied: a depends on unknown resource \"nope\"; c depends on unknown resource \"\"; dependency cycle: a → b → a" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Build_UnknownIdOrCycle_RefusesTheWholeCapabilityNamingEachProblem(string[] resources, string expected)
    {
        var graph = ResourceGraph.Build(Capability(resources));

        Assert.Equal(expected, graph.Error);
        Assert.Empty(graph.Order);
    }

    [Fact]
    public void Build_DuplicateAndEmptyIds_StayInTheOrderForTheDriverToReport()
    {
        var desired = Capability("a", "", "a", "b:a");

        var graph = ResourceGraph.Build(desired);

        Assert.Null(graph.Error);
        Assert.Equal(["a", "", "a", "b"], graph.Order.Select(r => r.Id));
        Assert.Same(desired.Resources[0], graph.Order[0]);
        Assert.Same(desired.Resources[2], graph.Order[2]);
    }
}
