using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>depends_on and observed state with the files driver, in a real temp directory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilesDependencyTests : FilesDriverTestBase
{
    [Fact]
    public async Task ConvergeAsync_FileWritten_ObservedStateIsPathModeSizeAndSha256OfWhatIsOnDisk()
    {
        var content = "Hello from ünïcode\n";

        var report = await NewDriver().ConvergeAsync(Capability("motd", 1, File("motd", "etc/motd", content, "640")), Ct);

        var bytes = Encoding.UTF8.GetBytes(content);
        var expected = new JsonObject
        {
            ["path"] = "etc/motd",
            ["mode"] = "0640",
            ["size"] = bytes.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(Dir.InRoot("etc/motd")))),
        };
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), expected["sha256"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(Assert.Single(report.Resources).ObservedJson)), report.Resources[0].ObservedJson);
    }

    [Fact]
    public async Task ConvergeAsync_FileAlreadyRightOnDisk_StillReportsItsObservedState()
    {
        var desired = Capability("motd", 1, File("motd", "etc/motd", "hi"));
        var first = await NewDriver().ConvergeAsync(desired, Ct);

        var again = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.NotEmpty(again.Resources[0].ObservedJson);
        Assert.Equal(first.Resources[0].ObservedJson, again.Resources[0].ObservedJson);
    }

    [Fact]
    public async Task ConvergeAsync_DependencyFails_DependentIsNotWrittenKeepsItsEarlierFileAndOthersAreWritten()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("web", 1, File("conf", "conf/site", "v1"), File("index", "www/index", "v1").DependingOn("conf")), Ct);

        var report = await driver.ConvergeAsync(Capability("web", 2,
            File("conf", "../outside", "v2"),
            File("index", "www/index", "v2").DependingOn("conf"),
            File("robots", "www/robots", "v2")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(
            [(ResourceState.Failed, false), (ResourceState.Failed, true), (ResourceState.Ready, false)],
            report.Resources.Select(r => (r.State, r.Message == "not applied: dependency conf failed")));
        Assert.Empty(report.Resources[1].ObservedJson);
        Assert.Equal(("v1", "v1", "v2"), (Read("conf/site"), Read("www/index"), Read("www/robots")));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("index")]
    public async Task ConvergeAsync_UnknownIdOrCycle_WritesAndPrunesNothing(string confDependsOn)
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("web", 1, File("old", "old", "v1")), Ct);

        var report = await driver.ConvergeAsync(Capability("web", 2,
            File("conf", "conf/site", "v2").DependingOn(confDependsOn),
            File("index", "www/index", "v2").DependingOn("conf")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.StartsWith("invalid depends_on, nothing applied: ", report.Message, StringComparison.Ordinal);
        Assert.Equal(["old"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_SentOutOfOrder_RecordsFilesDependenciesFirstSoRemovalUndoesDependentsFirst()
    {
        await NewDriver().ConvergeAsync(Capability("web", 1, File("index", "www/index", "x").DependingOn("conf"), File("conf", "conf/site", "x")), Ct);

        var inventory = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Dir.State, FilesDriver.InventoryFileName)))!;

        Assert.Equal(["conf", "index"], inventory["capabilities"]!["web"]!["files"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.True((await NewDriver().RemoveAsync("web", Ct)).Removed);
        Assert.Empty(Dir.FilesInRoot());
    }
}
