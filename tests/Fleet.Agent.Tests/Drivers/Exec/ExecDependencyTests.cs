using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Exec.ExecDesired;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>depends_on with the exec driver: real /bin/sh commands that append to one file, so the file tells the order.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecDependencyTests() : ExecDriverTestBase(NoDelay(retries: 0))
{
    /// <summary>A resource whose command (and delete, when asked) appends its id to the "applied" (and "deleted") file.</summary>
    private Resource Step(string id, bool delete = false, string? extra = null) =>
        Sh(id, $"{extra}echo {id} >> '{Out("applied")}'", delete: delete ? $"echo {id} >> '{Out("deleted")}'" : null);

    [Fact]
    public async Task ConvergeAsync_SentOutOfOrder_RunsEachCommandAfterWhatItDependsOn()
    {
        var desired = Capability("app", 1, Step("web").DependingOn("api"), Step("api").DependingOn("db"), Step("db"), Step("other"));

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["db", "api", "web", "other"], Lines("applied"));

        // Reports stay in the order the hub sent the resources.
        Assert.Equal(["web", "api", "db", "other"], report.Resources.Select(r => r.Id));
    }

    [Fact]
    public async Task ConvergeAsync_DependencyFails_ItsDependentsDoNotRunAndUnrelatedResourcesDo()
    {
        var desired = Capability("app", 1,
            Step("db", extra: "exit 3; "),
            Step("api").DependingOn("db"),
            Step("web").DependingOn("api"),
            Step("other"));

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(["other"], Lines("applied"));
        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(
            [
                ("db", ResourceState.Failed, "exit code 3"),
                ("api", ResourceState.Failed, "not applied: dependency db failed"),
                ("web", ResourceState.Failed, "not applied: dependency api failed"),
                ("other", ResourceState.Ready, "exit code 0"),
            ],
            report.Resources.Select(r => (r.Id, r.State, r.Message)));
        Assert.Equal("3 failed: db: exit code 3; api: not applied: dependency db failed; web: not applied: dependency api failed", report.Message);
    }

    [Fact]
    public async Task ConvergeAsync_DependencySucceedsOnALaterPass_TheDependentRunsThen()
    {
        var marker = Out("db-reachable");
        var driver = NewDriver();
        var desired = Capability("app", 1, Step("db", extra: $"test -f '{marker}' || exit 1; "), Step("api").DependingOn("db"));

        var first = await driver.ConvergeAsync(desired, Ct);
        File.WriteAllText(marker, "");
        var second = await driver.ConvergeAsync(desired, Ct);
        var third = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(("not applied: dependency db failed", ResourceState.Failed), (first.Resources[1].Message, first.State));
        Assert.Equal(ResourceState.Ready, second.State);
        Assert.Equal(ResourceState.Ready, third.State);

        // Once each: a dependency that is Ready from an earlier pass lets its dependent through without running again.
        Assert.Equal(["db", "api"], Lines("applied"));
    }

    public static TheoryData<string, string> BadDependencies => new()
    {
        { "unknown", "invalid depends_on, nothing applied: api depends on unknown resource \"dbx\"" },
        { "cycle", "invalid depends_on, nothing applied: dependency cycle: db → api → db" },
    };

    [Theory]
    [MemberData(nameof(BadDependencies))]
    public async Task ConvergeAsync_UnknownIdOrCycle_RunsAndDeletesNothingAndFailsSayingWhy(string problem, string message)
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Step("old", delete: true)), Ct);
        var db = problem == "cycle" ? Step("db").DependingOn("api") : Step("db");
        var api = Step("api").DependingOn(problem == "cycle" ? "db" : "dbx");

        var report = await driver.ConvergeAsync(Capability("app", 2, db, api, Step("other")), Ct);

        Assert.Equal((ResourceState.Failed, message), (report.State, report.Message));
        Assert.All(report.Resources, r => Assert.Equal((ResourceState.Failed, "not applied: " + message), (r.State, r.Message)));
        Assert.Equal(["old"], Lines("applied"));
        Assert.Empty(Lines("deleted"));
    }

    [Fact]
    public async Task RemoveAsync_RunsDeletesDependentsFirstWhateverOrderTheResourcesWereSentIn()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Step("web", delete: true).DependingOn("api"), Step("api", delete: true).DependingOn("db"), Step("db", delete: true)), Ct);

        var report = await NewDriver().RemoveAsync("app", Ct);

        Assert.True(report.Removed);
        Assert.Equal(["db", "api", "web"], Lines("applied"));
        Assert.Equal(["web", "api", "db"], Lines("deleted"));
    }

    [Fact]
    public async Task ConvergeAsync_NewRevisionDropsResources_DeletesThemDependentsFirst()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Step("api", delete: true).DependingOn("db"), Step("db", delete: true), Step("keep", delete: true)), Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, Step("keep", delete: true)), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["api", "db"], Lines("deleted"));
    }

    [Fact]
    public async Task RemoveAsync_DependentsDeleteFails_WhatItDependsOnStaysUntilALaterPassRemovesIt()
    {
        var marker = Out("api-deletable");
        var driver = NewDriver();
        var api = Sh("api", "true", delete: $"test -f '{marker}' || {{ echo busy; exit 4; }}; echo api >> '{Out("deleted")}'").DependingOn("db");
        await driver.ConvergeAsync(Capability("app", 1, Step("db", delete: true), api), Ct);

        var first = await driver.RemoveAsync("app", Ct);
        File.WriteAllText(marker, "");
        var second = await driver.RemoveAsync("app", Ct);

        Assert.False(first.Removed);
        Assert.Equal(ResourceState.Failed, first.State);
        Assert.Equal("1 failed: api: delete exit code 4; output: busy; db: not removed yet: api depends on it and is still there", first.Message);
        Assert.True(second.Removed);
        Assert.Equal(["api", "db"], Lines("deleted"));
        Assert.Empty(NewDriver().OwnedCapabilities);
    }

    [Fact]
    public async Task ConvergeAsync_DependentHeldByAFailedDependency_IsNeitherRunNorDeleted()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Step("db"), Step("api", delete: true).DependingOn("db")), Ct);

        // Revision 2 breaks db and changes api: api waits with what revision 1 ran, rather than being undone.
        var report = await driver.ConvergeAsync(Capability("app", 2, Step("db", extra: "exit 1; "), Step("api", delete: true, extra: "echo v2 >/dev/null; ").DependingOn("db")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(["db", "api"], Lines("applied"));
        Assert.Empty(Lines("deleted"));
        Assert.True((await NewDriver().RemoveAsync("app", Ct)).Removed);
        Assert.Equal(["api"], Lines("deleted"));
    }
}
