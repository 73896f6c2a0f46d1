using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>Resources the hub sent awaiting (not rendered yet, no kind) with the files driver, in a real temp directory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilesAwaitingTests : FilesDriverTestBase
{
    private const string Text = "waiting for conf to be Ready with its observed state";

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static DesiredCapability Revision(long revision, Resource index) =>
        Capability("web", revision, File("conf", "conf/site", $"conf v{revision}"), index);

    private static Resource Index(string content) => File("index", "www/index", content).DependingOn("conf");

    [Fact]
    public async Task ConvergeAsync_AwaitingThenRendered_KeepsTheOldFileWhileAwaitingWritesItsDependencyThenWritesTheRenderedFile()
    {
        await NewDriver().ConvergeAsync(Revision(1, Index("index v1")), Ct);

        // Every pass with a new driver: what is held must survive a restart too, from the inventory alone.
        var awaiting = await NewDriver().ConvergeAsync(Revision(2, Index("index v2").Awaiting(Text)), Ct);
        var indexWhileAwaiting = Read("www/index");
        var rendered = await NewDriver().ConvergeAsync(Revision(3, Index("index v2")), Ct);

        Assert.Equal((ResourceState.Applying, $"index: {Text}"), (awaiting.State, awaiting.Message));
        var conf = awaiting.Resources[0];
        Assert.Equal(ResourceState.Ready, conf.State);
        Assert.Equal(Sha256("conf v2"), JsonNode.Parse(conf.ObservedJson)!["sha256"]!.GetValue<string>());
        var index = awaiting.Resources[1];
        Assert.Equal(("index", Index("index v2").Awaiting(Text).Hash, ResourceState.Pending, Text, ""), (index.Id, index.Hash, index.State, index.Message, index.ObservedJson));
        Assert.Equal("index v1", indexWhileAwaiting);

        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal(("index v2", "conf v3"), (Read("www/index"), Read("conf/site")));
        Assert.Equal(Sha256("index v2"), JsonNode.Parse(rendered.Resources[1].ObservedJson)!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConvergeAsync_DependentOfAnAwaitingResource_WaitsForItAndKeepsItsOwnFile()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("web", 1, Index("index v1"), File("conf", "conf/site", "v1"), File("page", "www/page", "page v1").DependingOn("index")), Ct);

        var report = await driver.ConvergeAsync(Capability("web", 2, Index("index v2").Awaiting(Text), File("conf", "conf/site", "v2"), File("page", "www/page", "page v2").DependingOn("index")), Ct);

        Assert.Equal(ResourceState.Applying, report.State);
        Assert.Equal(
            [("index", ResourceState.Pending, Text), ("conf", ResourceState.Ready, ""), ("page", ResourceState.Pending, "waiting for index to be ready")],
            report.Resources.Select(r => (r.Id, r.State, r.Message)));
        Assert.Equal(("index v1", "v2", "page v1"), (Read("www/index"), Read("conf/site"), Read("www/page")));
    }

    [Fact]
    public async Task ConvergeAsync_AwaitingNeverWrittenBefore_WritesNothingForItAndRemovalStillCleansUp()
    {
        var driver = NewDriver();

        var report = await driver.ConvergeAsync(Revision(1, Index("index v1").Awaiting(Text)), Ct);

        Assert.Equal((ResourceState.Applying, ResourceState.Pending), (report.State, report.Resources[1].State));
        Assert.Equal(["conf/site"], Dir.FilesInRoot());
        Assert.True((await NewDriver().RemoveAsync("web", Ct)).Removed);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task RemoveAsync_WhileAResourceIsAwaiting_DeletesTheFileItWroteBefore()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Revision(1, Index("index v1")), Ct);
        await driver.ConvergeAsync(Revision(2, Index("index v2").Awaiting(Text)), Ct);

        var removed = await NewDriver().RemoveAsync("web", Ct);

        Assert.True(removed.Removed);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_NoKindAndNotAwaiting_IsRefusedSayingSoAndItsEarlierFileIsKept()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Revision(1, Index("index v1")), Ct);
        var bare = new Resource { Id = "index", Hash = "bare", DependsOn = { "conf" } };

        var report = await driver.ConvergeAsync(Revision(2, bare), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(
            (ResourceState.Failed, "resource has no kind and is not awaiting a render: the files driver has nothing to apply"),
            (report.Resources[1].State, report.Resources[1].Message));
        Assert.Equal("index v1", Read("www/index"));
    }
}
