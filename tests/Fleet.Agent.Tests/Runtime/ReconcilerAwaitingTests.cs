using Fleet.Agent.Drivers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Runtime;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// The reconcile loop with a resource the hub sent awaiting (not rendered yet): real files driver, real directory, a
/// fake clock. The hub's part is played by the test: it sends the awaiting set, then the rendered one.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReconcilerAwaitingTests : ReconcilerTestBase
{
    private const string Text = "waiting for conf to be Ready with its observed state";

    private protected override ITargetDriver NewDriver() => new FilesDriver(Dir.Root, Dir.State, Time, NullLogger<FilesDriver>.Instance);

    private string Read(string path) => System.IO.File.ReadAllText(Dir.InRoot(path));

    private static Resource Index(string content) => File("index", "www/index", content).DependingOn("conf");

    private static DesiredSet Set(long revision, Resource index)
    {
        var capability = Capability("web", revision, File("conf", "conf/site", $"conf v{revision}"), index);
        return new DesiredSet { Hash = capability.Hash, Capabilities = { capability } };
    }

    [Fact]
    public async Task SetDesired_AwaitingThenRendered_HeldAndPendingWithTheTextWhileItsDependencyIsReadyThenWrittenFromTheRenderedSet()
    {
        var reconciler = Start();
        reconciler.SetDesired(Set(1, Index("index v1")));
        Assert.Equal(ResourceState.Ready, (await NextReport(reconciler)).State);

        reconciler.SetDesired(Set(2, Index("index v2").Awaiting(Text)));
        var awaiting = await NextReport(reconciler);
        var indexWhileAwaiting = Read("www/index");
        reconciler.SetDesired(Set(3, Index("index v2")));
        var rendered = await NextReport(reconciler);

        Assert.Equal((2L, ResourceState.Applying, $"index: {Text}"), (awaiting.Revision, awaiting.State, awaiting.Message));
        Assert.Equal((ResourceState.Ready, "conf/site"), (awaiting.Resources[0].State, JsonNode.Parse(awaiting.Resources[0].ObservedJson)!["path"]!.GetValue<string>()));
        Assert.Equal((ResourceState.Pending, Text, ""), (awaiting.Resources[1].State, awaiting.Resources[1].Message, awaiting.Resources[1].ObservedJson));
        Assert.Equal("index v1", indexWhileAwaiting);

        Assert.Equal((3L, ResourceState.Ready), (rendered.Revision, rendered.State));
        Assert.Equal("index v2", Read("www/index"));
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("index v2"))),
            JsonNode.Parse(rendered.Resources[1].ObservedJson)!["sha256"]!.GetValue<string>());
        Assert.Equal(ResourceState.Ready, Assert.Single(reconciler.Current).State);
    }

    [Fact]
    public async Task LoadCached_RestartWhileAwaiting_KeepsTheEarlierFileAndReportsPendingWithTheText()
    {
        var first = Start();
        first.SetDesired(Set(1, Index("index v1")));
        await NextReport(first);
        first.SetDesired(Set(2, Index("index v2").Awaiting(Text)));
        await NextReport(first);
        await Stop.CancelAsync();

        using var again = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var restarted = Create();
        restarted.LoadCached();
        _ = restarted.RunAsync(again.Token);
        var report = await NextReport(restarted);
        await again.CancelAsync();

        Assert.Equal((2L, ResourceState.Applying), (report.Revision, report.State));
        Assert.Equal((ResourceState.Pending, Text), (report.Resources[1].State, report.Resources[1].Message));
        Assert.Equal("index v1", Read("www/index"));
    }
}
