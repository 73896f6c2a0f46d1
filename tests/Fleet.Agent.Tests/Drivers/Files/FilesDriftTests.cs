using System.Runtime.Versioning;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Drivers.Files;

// Modes and symlinks are part of what drift compares; the agent targets Unix.
[UnsupportedOSPlatform("windows")]
public sealed class FilesDriftTests : FilesDriverTestBase
{
    private static DesiredCapability Motd(string content = "Hello\n") => Capability("motd", 1, File("motd", "etc/motd", content, "0644"));

    [Fact]
    public async Task DetectDriftAsync_AsApplied_IsNull()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Motd(), Ct);
        Assert.Null(await driver.DetectDriftAsync(Motd(), Ct));
    }

    [Fact]
    public async Task DetectDriftAsync_NeverApplied_IsNullBecauseTheConvergeWritesIt()
    {
        Assert.Null(await NewDriver().DetectDriftAsync(Motd(), Ct));
    }

    [Fact]
    public async Task DetectDriftAsync_NewRevisionNotYetApplied_IsNotDrift()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Motd(), Ct);
        Assert.Null(await driver.DetectDriftAsync(Motd("v2"), Ct));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("replaced by a symlink")]
    [InlineData("replaced by a directory")]
    public async Task DetectDriftAsync_FileReplaced_SaysHowAndLeavesItForTheConverge(string how)
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Motd(), Ct);
        var path = Dir.InRoot("etc/motd");
        System.IO.File.Delete(path);
        if (how == "replaced by a symlink")
        {
            System.IO.File.CreateSymbolicLink(path, Path.Combine(Dir.Outside, "x"));
        }
        else if (how == "replaced by a directory")
        {
            Directory.CreateDirectory(path);
        }

        var drift = await driver.DetectDriftAsync(Motd(), Ct);

        Assert.NotNull(drift);
        Assert.Equal((ResourceState.Drifted, $"drifted: etc/motd: {how}"), (drift.State, drift.Message));
        Assert.Equal(("motd", ResourceState.Drifted), (Assert.Single(drift.Resources).Id, drift.Resources[0].State));
    }

    [Fact]
    public async Task DetectDriftAsync_ModeOnly_NamesTheModes()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Motd(), Ct);
        System.IO.File.SetUnixFileMode(Dir.InRoot("etc/motd"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var drift = await driver.DetectDriftAsync(Motd(), Ct);

        Assert.Equal("drifted: etc/motd: mode 0700 on disk, 0644 applied", drift?.Message);
        await driver.ConvergeAsync(Motd(), Ct);
        Assert.Null(await driver.DetectDriftAsync(Motd(), Ct));
    }
}
