using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Tests.Shared.Eventually;

namespace Fleet.Agent.Tests.Runtime;

// Modes are part of what drift compares; the agent targets Unix.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReconcilerTests : ReconcilerTestBase
{
    private protected override ITargetDriver NewDriver() => new FilesDriver(Dir.Root, Dir.State, Time, NullLogger<FilesDriver>.Instance);

    [Fact]
    public async Task SetDesired_NewCapability_WritesItsFilesAndPublishesReady()
    {
        var reconciler = Start();

        reconciler.SetDesired(Desired(("motd", 1, "hello v1")));
        var report = await NextReport(reconciler);

        Assert.Equal(("motd", 1L, ResourceState.Ready, false), (report.Key, report.Revision, report.State, report.Removed));
        Assert.Equal("hello v1", File.ReadAllText(Path.Combine(Dir.Root, "etc/motd")));
        Assert.Equal("motd", Assert.Single(reconciler.Current).Key);
    }

    [Fact]
    public async Task SetDesired_CapabilityNoLongerWanted_RemovesItsFilesAndPublishesRemoved()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1, "hello v1")));
        await NextReport(reconciler);

        reconciler.SetDesired(Desired());
        var report = await NextReport(reconciler);

        Assert.True(report.Removed);
        Assert.False(File.Exists(Path.Combine(Dir.Root, "etc/motd")));
        Assert.Empty(reconciler.Current);
    }

    [Fact]
    public async Task LoadCached_RestartWithTheHubDown_ConvergesFromTheCachedDesiredSet()
    {
        var first = Start();
        first.SetDesired(Desired(("motd", 2, "hello v2")));
        await NextReport(first);
        await Stop.CancelAsync();
        File.Delete(Path.Combine(Dir.Root, "etc/motd"));

        using var again = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var restarted = Create();
        restarted.LoadCached();
        _ = restarted.RunAsync(again.Token);
        var drift = await NextReport(restarted);
        var report = await NextReport(restarted);

        Assert.Equal((2L, ResourceState.Drifted, "drifted: etc/motd: missing"), (drift.Revision, drift.State, drift.Message));
        Assert.Equal((2L, ResourceState.Ready), (report.Revision, report.State));
        Assert.Equal("hello v2", File.ReadAllText(Path.Combine(Dir.Root, "etc/motd")));
        await again.CancelAsync();
    }

    [Fact]
    public async Task Resync_FileEditedByHand_IsRewrittenAtTheNextTick()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1, "hello v1")));
        await NextReport(reconciler);
        var path = Path.Combine(Dir.Root, "etc/motd");
        File.WriteAllText(path, "edited by hand");

        Time.Advance(Resync);

        await Holds(() => File.ReadAllText(path) == "hello v1", "the file to hold hello v1");
    }

    [Fact]
    public async Task Resync_ContentAndModeChangedByHand_ReportsDriftedSayingWhatDiffersThenReadyAgain()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1, "hello v1")));
        await NextReport(reconciler);
        var path = Path.Combine(Dir.Root, "etc/motd");
        File.WriteAllText(path, "edited by hand");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Time.Advance(Resync);
        var drift = await NextReport(reconciler);
        var corrected = await NextReport(reconciler);

        Assert.Equal((ResourceState.Drifted, 1L), (drift.State, drift.Revision));
        var resource = Assert.Single(drift.Resources);
        Assert.Equal(ResourceState.Drifted, resource.State);
        Assert.Matches(@"^etc/motd: content sha256 [0-9a-f]{12}… on disk, [0-9a-f]{12}… applied, mode 0600 on disk, 0644 applied$", resource.Message);
        Assert.Equal(ResourceState.Ready, corrected.State);
        Assert.Equal("hello v1", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Resync_NothingChanged_PublishesNothing()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("motd", 1, "hello v1")));
        await NextReport(reconciler);

        Time.Advance(Resync);
        reconciler.SetDesired(Desired(("motd", 1, "hello v1"), ("extra", 1, "x")));

        Assert.Equal("extra", (await NextReport(reconciler)).Key);
    }

    [Fact]
    public async Task SetDesired_SameDesiredSetAgain_PublishesNothingNew()
    {
        var reconciler = Start();
        var desired = Desired(("motd", 1, "hello v1"));
        reconciler.SetDesired(desired);
        await NextReport(reconciler);

        reconciler.SetDesired(desired.Clone());
        reconciler.SetDesired(Desired(("motd", 1, "hello v1"), ("extra", 1, "x")));
        var next = await NextReport(reconciler);

        Assert.Equal("extra", next.Key);
    }

    private static DesiredSet Desired(params (string Key, long Revision, string Content)[] capabilities)
    {
        var desired = new DesiredSet { Hash = string.Join("|", capabilities.Select(c => $"{c.Key}@{c.Revision}:{c.Content}")) };
        foreach (var (key, revision, content) in capabilities)
        {
            var capability = new DesiredCapability { Key = key, Capability = key, Revision = revision, Hash = $"h-{key}-{content}" };
            capability.Resources.Add(new Resource
            {
                Id = key,
                Hash = $"r-{content}",
                File = new FileResource { Path = key == "motd" ? "etc/motd" : $"etc/{key}", Content = content, Mode = "0644" },
            });
            desired.Capabilities.Add(capability);
        }

        return desired;
    }
}
