using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Exec.ExecDesired;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>
/// Resources the hub sent awaiting (not rendered yet, no kind) with the exec driver: real /bin/sh commands that append
/// to files, so the files tell what ran and what was deleted.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecAwaitingTests() : ExecDriverTestBase(NoDelay(retries: 0))
{
    private const string Text = "waiting for db to be Ready with its observed state";

    /// <summary>A resource whose command appends <paramref name="line"/> to "applied" and whose delete appends its id to "deleted".</summary>
    private Resource Step(string id, string line) =>
        Sh(id, $"echo {line} >> '{Out("applied")}'; echo {line}", delete: $"echo {id} >> '{Out("deleted")}'");

    private Resource Db(int version) => Step("db", $"db-v{version}");

    private Resource Api(int version) => Step("api", $"api-v{version}").DependingOn("db");

    [Fact]
    public async Task ConvergeAsync_AwaitingThenRendered_RunsNeitherCommandNorDeleteWhileAwaitingRunsItsDependencyThenRunsTheRenderedCommand()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, Db(1), Api(1)), Ct);

        // A new driver each pass: what is held must survive a restart, from the inventory alone.
        var awaiting = await NewDriver().ConvergeAsync(Capability("app", 2, Db(2), Api(2).Awaiting(Text)), Ct);
        var appliedWhileAwaiting = Lines("applied");
        var rendered = await NewDriver().ConvergeAsync(Capability("app", 3, Db(2), Api(2)), Ct);

        Assert.Equal((ResourceState.Applying, $"api: {Text}"), (awaiting.State, awaiting.Message));
        var db = awaiting.Resources[0];
        Assert.Equal(ResourceState.Ready, db.State);
        Assert.Equal((0, "db-v2"), (JsonNode.Parse(db.ObservedJson)!["exitCode"]!.GetValue<int>(), JsonNode.Parse(db.ObservedJson)!["stdoutTail"]!.GetValue<string>()));
        var api = awaiting.Resources[1];
        Assert.Equal(("api", Api(2).Awaiting(Text).Hash, ResourceState.Pending, Text, ""), (api.Id, api.Hash, api.State, api.Message, api.ObservedJson));
        Assert.Equal(["db-v1", "api-v1", "db-v2"], appliedWhileAwaiting);

        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal("api-v2", JsonNode.Parse(rendered.Resources[1].ObservedJson)!["stdoutTail"]!.GetValue<string>());
        Assert.Equal(["db-v1", "api-v1", "db-v2", "api-v2"], Lines("applied"));
        Assert.Empty(Lines("deleted"));
    }

    [Fact]
    public async Task ConvergeAsync_DroppedResourceTheAwaitingOneRanAgainst_IsNotDeletedUntilTheRenderedOneRanWithoutIt()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Step("old", "old"), Step("api", "api-v1").DependingOn("old")), Ct);

        // Revision 2 drops old; api now depends on db, but as it runs on the target it still uses old.
        var awaiting = await driver.ConvergeAsync(Capability("app", 2, Db(1), Api(2).Awaiting(Text)), Ct);
        var deletedWhileAwaiting = Lines("deleted");
        var rendered = await driver.ConvergeAsync(Capability("app", 3, Db(1), Api(2)), Ct);

        Assert.Equal(ResourceState.Applying, awaiting.State);
        Assert.Contains("old: not removed yet: api depends on it and is still there", awaiting.Message, StringComparison.Ordinal);
        Assert.Empty(deletedWhileAwaiting);
        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal(["old"], Lines("deleted"));
        Assert.Equal(["old", "api-v1", "db-v1", "api-v2"], Lines("applied"));
    }

    [Fact]
    public async Task ConvergeAsync_DependentOfAnAwaitingResource_WaitsForItAndDoesNotRun()
    {
        var report = await NewDriver().ConvergeAsync(Capability("app", 1, Db(1), Api(1).Awaiting(Text), Step("web", "web").DependingOn("api")), Ct);

        Assert.Equal(ResourceState.Applying, report.State);
        Assert.Equal(
            [("db", ResourceState.Ready), ("api", ResourceState.Pending), ("web", ResourceState.Pending)],
            report.Resources.Select(r => (r.Id, r.State)));
        Assert.Equal("waiting for api to be ready", report.Resources[2].Message);
        Assert.Equal(["db-v1"], Lines("applied"));
    }

    [Fact]
    public async Task RemoveAsync_WhileAResourceIsAwaiting_RunsWhatItRanBeforesDeleteDependentsFirst()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Api(1), Db(1)), Ct);
        await driver.ConvergeAsync(Capability("app", 2, Api(2).Awaiting(Text), Db(1)), Ct);

        var removed = await NewDriver().RemoveAsync("app", Ct);

        Assert.True(removed.Removed);
        Assert.Equal(["api", "db"], Lines("deleted"));
    }

    [Fact]
    public async Task ConvergeAsync_NoKindAndNotAwaiting_IsRefusedSayingSoAndRunsNothingForIt()
    {
        var bare = new Resource { Id = "api", Hash = "bare", DependsOn = { "db" } };

        var report = await NewDriver().ConvergeAsync(Capability("app", 1, Db(1), bare), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(
            (ResourceState.Failed, "resource has no kind and is not awaiting a render: the exec driver has nothing to apply"),
            (report.Resources[1].State, report.Resources[1].Message));
        Assert.Equal(["db-v1"], Lines("applied"));
    }
}
