using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Git;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Git;

/// <summary>The git driver against a real bare repository: files, commits, pruning, drift, a moved branch, two agents.</summary>
public sealed class GitDriverTests : IDisposable
{
    private readonly BareRepository _repo = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _repo.Dispose();

    private GitDriver NewDriver(string agent = "a", string directory = "clusters/a") =>
        new(_repo.StateDirectory(agent), new GitOptions(_repo.Path, "main", directory), TimeProvider.System, NullLogger<GitDriver>.Instance);

    [Fact]
    public async Task ConvergeAsync_Revision1_WritesOneYamlFilePerResourceInOneCommitByFleetAgent()
    {
        var report = await NewDriver().ConvergeAsync(Capability("shop", 1, ConfigMap("settings", "a"), Deployment()), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["clusters/a/shop/settings.yaml", "clusters/a/shop/web.yaml"], _repo.Files());
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: a\n", _repo.Show("clusters/a/shop/settings.yaml"));
        Assert.Equal(1, _repo.Commits());
        Assert.Equal(("fleet-agent", "fleet-agent", "fleet-agent: shop revision 1"), (_repo.Log("%an"), _repo.Log("%cn"), _repo.Log("%s")));

        // Ready once pushed, and the report says in which commit.
        var head = _repo.Head()!;
        Assert.All(report.Resources, r => Assert.Equal(head, JsonNode.Parse(r.ObservedJson)!["commit"]!.GetValue<string>()));
        Assert.Equal("clusters/a/shop/web.yaml", JsonNode.Parse(report.Resources[1].ObservedJson)!["path"]!.GetValue<string>());
        Assert.Equal($"pushed in commit {head}", report.Resources[0].Message);
    }

    [Fact]
    public async Task ConvergeAsync_Revision2_ChangesAndRemovesFilesInANewCommit()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 1, ConfigMap("settings", "a"), ConfigMap("extra", "x")), Ct);
        var first = _repo.Head();

        var report = await NewDriver().ConvergeAsync(Capability("shop", 2, ConfigMap("settings", "b")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["clusters/a/shop/settings.yaml"], _repo.Files());
        Assert.Contains("value: b", _repo.Show("clusters/a/shop/settings.yaml"), StringComparison.Ordinal);
        Assert.Equal(2, _repo.Commits());
        Assert.NotEqual(first, _repo.Head());
        Assert.Equal("fleet-agent: shop revision 2", _repo.Log("%s"));
    }

    [Fact]
    public async Task ConvergeAsync_Unchanged_CommitsNothing()
    {
        var desired = Capability("shop", 1, ConfigMap());
        await NewDriver().ConvergeAsync(desired, Ct);
        var head = _repo.Head();

        var again = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, again.State);
        Assert.Equal((head, 1), (_repo.Head(), _repo.Commits()));
        Assert.Equal(head, JsonNode.Parse(again.Resources[0].ObservedJson)!["commit"]!.GetValue<string>());
    }

    [Fact]
    public async Task DetectDriftAsync_ManualEditAndDeletePushed_DriftedThenRevertedByTheNextConverge()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, ConfigMap("settings", "a"), ConfigMap("extra", "x"));
        await driver.ConvergeAsync(desired, Ct);
        Assert.Null(await driver.DetectDriftAsync(desired, Ct));
        var written = _repo.Show("clusters/a/shop/settings.yaml");

        _repo.PushEdit("hotfix by hand", ("clusters/a/shop/settings.yaml", "edited by hand\n"), ("clusters/a/shop/extra.yaml", null), ("README.md", "not ours\n"));
        var drift = await driver.DetectDriftAsync(desired, Ct);
        var corrected = await driver.ConvergeAsync(desired, Ct);

        Assert.NotNull(drift);
        Assert.Equal(ResourceState.Drifted, drift.State);
        Assert.Contains("clusters/a/shop/settings.yaml: changed on branch main", drift.Message, StringComparison.Ordinal);
        Assert.Contains("clusters/a/shop/extra.yaml: deleted from branch main", drift.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, corrected.State);
        Assert.Equal(written, _repo.Show("clusters/a/shop/settings.yaml"));
        Assert.Equal(["README.md", "clusters/a/shop/extra.yaml", "clusters/a/shop/settings.yaml"], _repo.Files());
        Assert.Equal((3, "fleet-agent: shop revision 1"), (_repo.Commits(), _repo.Log("%s")));
        Assert.Null(await driver.DetectDriftAsync(desired, Ct));
    }

    [Fact]
    public async Task ConvergeAsync_BranchMovedDuringThePush_RetriedOnTopOfIt()
    {
        await NewDriver().ConvergeAsync(Capability("shop", 1, ConfigMap("settings", "a")), Ct);
        var someoneElse = _repo.CommitAside("apps/other.yaml", "kind: Other\n");
        _repo.MoveBranchOnNextPush(someoneElse);

        var report = await NewDriver().ConvergeAsync(Capability("shop", 2, ConfigMap("settings", "b")), Ct);

        Assert.True(_repo.HookFired);
        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["apps/other.yaml", "clusters/a/shop/settings.yaml"], _repo.Files());
        Assert.Contains("value: b", _repo.Show("clusters/a/shop/settings.yaml"), StringComparison.Ordinal);
        Assert.Contains("fleet-agent: shop revision 2", _repo.Log("%B"), StringComparison.Ordinal);
        Assert.Equal(_repo.Head(), JsonNode.Parse(report.Resources[0].ObservedJson)!["commit"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConvergeAsync_TwoAgentsOnOneBranch_BothLand()
    {
        var a = NewDriver("a", "clusters/a");
        var b = NewDriver("b", "clusters/b");

        for (var revision = 1; revision <= 3; revision++)
        {
            var reports = await Task.WhenAll(
                a.ConvergeAsync(Capability("shop", revision, ConfigMap("settings", $"a{revision}")), Ct),
                b.ConvergeAsync(Capability("shop", revision, ConfigMap("settings", $"b{revision}")), Ct));
            Assert.All(reports, r => Assert.Equal(ResourceState.Ready, r.State));
        }

        Assert.Equal(["clusters/a/shop/settings.yaml", "clusters/b/shop/settings.yaml"], _repo.Files());
        Assert.Contains("value: a3", _repo.Show("clusters/a/shop/settings.yaml"), StringComparison.Ordinal);
        Assert.Contains("value: b3", _repo.Show("clusters/b/shop/settings.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAsync_DeletesTheCapabilitysFilesInACommit()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 4, ConfigMap()), Ct);
        await driver.ConvergeAsync(Capability("blog", 1, ConfigMap()), Ct);

        var report = await driver.RemoveAsync("shop", Ct);

        Assert.True(report.Removed);
        Assert.Equal(["clusters/a/blog/settings.yaml"], _repo.Files());
        Assert.Equal("fleet-agent: shop removed (was revision 4)", _repo.Log("%s"));
        Assert.Equal(["blog"], driver.OwnedCapabilities);
    }

    [Fact]
    public async Task ConvergeAsync_InstanceKey_WritesUnderCapabilityDotInstance()
    {
        await NewDriver(directory: ".").ConvergeAsync(Capability("shop/team-a", 1, ConfigMap()), Ct);

        Assert.Equal(["shop.team-a/settings.yaml"], _repo.Files());
    }

    [Theory]
    [InlineData("shop", "../../outside")]
    [InlineData("shop", "a/b")]
    [InlineData("../../outside", "settings")]
    [InlineData("shop/x/y", "settings")]
    public async Task ConvergeAsync_IdOrKeyThatWouldLeaveTheDirectory_RefusedAndNothingWritten(string key, string id)
    {
        var report = await NewDriver().ConvergeAsync(Capability(key, 1, Manifest(id, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("cannot name a", report.Resources[0].Message, StringComparison.Ordinal);
        Assert.Empty(_repo.Files());
        Assert.False(File.Exists(Path.Combine(_repo.Scratch, "outside.yaml")));
        Assert.Empty(Directory.EnumerateFiles(_repo.Scratch, "*.yaml", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ConvergeAsync_FileResource_RefusedAsNotTheGitDriversKind()
    {
        var file = new Resource { Id = "motd", Hash = "h", File = new FileResource { Path = "motd", Content = "hi" } };

        var report = await NewDriver().ConvergeAsync(Capability("motd", 1, file), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal("the git driver cannot apply resource kind file", report.Resources[0].Message);
        Assert.Empty(_repo.Files());
    }

    [Fact]
    public async Task ConvergeAsync_UnreachableRepository_FailsWithNothingApplied()
    {
        var driver = new GitDriver(_repo.StateDirectory("a"), new GitOptions(Path.Combine(_repo.Scratch, "missing.git"), "main", "x"), TimeProvider.System, NullLogger<GitDriver>.Instance);

        var report = await driver.ConvergeAsync(Capability("shop", 1, ConfigMap()), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.StartsWith("not applied: fetching main from ", report.Resources[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAsync_PushDeclined_NotRemovedUntilTheDeletionIsPushed()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 1, ConfigMap()), Ct);
        _repo.DeclinePushes();

        var declined = await driver.RemoveAsync("shop", Ct);
        _repo.AcceptPushes();
        var removed = await driver.RemoveAsync("shop", Ct);

        Assert.False(declined.Removed);
        Assert.Contains("(pre-receive hook declined)", declined.Message, StringComparison.Ordinal);
        Assert.True(removed.Removed);
        Assert.Empty(_repo.Files());
        Assert.Empty(driver.OwnedCapabilities);
    }

    [Fact]
    public async Task ConvergeAsync_PushDeclined_ApplyingUntilPushedByALaterPass()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, ConfigMap());
        _repo.DeclinePushes();

        var declined = await driver.ConvergeAsync(desired, Ct);
        _repo.AcceptPushes();
        var pushed = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal((ResourceState.Failed, ResourceState.Applying), (declined.State, declined.Resources[0].State));
        Assert.Equal("written, not pushed yet", declined.Resources[0].Message);
        Assert.Equal(ResourceState.Ready, pushed.State);
        Assert.Equal(["clusters/a/shop/settings.yaml"], _repo.Files());
    }

    [Fact]
    public async Task ConvergeAsync_SymlinkPushedAtTheCapabilitysDirectory_RefusedAndNothingWrittenThroughIt()
    {
        var outside = Path.Combine(_repo.Scratch, "outside");
        Directory.CreateDirectory(outside);
        _repo.PushSymlink("clusters/a/shop", outside);

        var report = await NewDriver().ConvergeAsync(Capability("shop", 1, ConfigMap()), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("symlink", report.Resources[0].Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }
}
