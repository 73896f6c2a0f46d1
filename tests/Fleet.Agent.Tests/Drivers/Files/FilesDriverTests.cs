using System.Runtime.Versioning;
using System.Text;
using Fleet.Agent.Drivers.Files;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Drivers.Files;

// Modes and symlinks are what these tests are about; the agent targets Unix.
[UnsupportedOSPlatform("windows")]
public sealed class FilesDriverTests : FilesDriverTestBase
{
    [Theory]
    [InlineData("0600", UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData("0755", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)]
    [InlineData("", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [InlineData("640", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    public async Task ConvergeAsync_NewFile_WritesContentAndMode(string mode, UnixFileMode expected)
    {
        var desired = Capability("motd", 3, File("motd", "etc/motd", "Hello\n", mode));

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal("Hello\n", await System.IO.File.ReadAllTextAsync(Dir.InRoot("etc/motd"), Ct));
        Assert.Equal(expected, System.IO.File.GetUnixFileMode(Dir.InRoot("etc/motd")));
    }

    [Fact]
    public async Task ConvergeAsync_Success_ReportCopiesKeyRevisionAndHashes()
    {
        var desired = Capability("motd/team-a", 7, File("a", "a.txt", "a"), File("b", "b.txt", "b"));

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(("motd/team-a", 7L, desired.Hash, ResourceState.Ready, ""), (report.Key, report.Revision, report.Hash, report.State, report.Message));
        Assert.False(report.Removed);
        Assert.Equal(
            desired.Resources.Select(r => (r.Id, r.Hash, ResourceState.Ready)),
            report.Resources.Select(r => (r.Id, r.Hash, r.State)));
    }

    [Fact]
    public async Task ConvergeAsync_SameDesiredTwice_LeavesFileUntouched()
    {
        var driver = NewDriver();
        var desired = Capability("motd", 1, File("motd", "etc/motd", "Hello\n", "0640"));
        await driver.ConvergeAsync(desired, Ct);
        var path = Dir.InRoot("etc/motd");
        var past = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        System.IO.File.SetLastWriteTimeUtc(path, past);

        var report = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(past, System.IO.File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task ConvergeAsync_DriftedContentAndMode_RestoresBoth()
    {
        var driver = NewDriver();
        var desired = Capability("motd", 1, File("motd", "motd", "Hello\n", "0644"));
        await driver.ConvergeAsync(desired, Ct);
        var path = Dir.InRoot("motd");
        await System.IO.File.WriteAllTextAsync(path, "tampered", Ct);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        var report = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal("Hello\n", await System.IO.File.ReadAllTextAsync(path, Ct));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, System.IO.File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("../x", "'..'")]
    [InlineData("a/../../x", "'..'")]
    [InlineData("a/..", "'..'")]
    [InlineData("{outside}/x", "absolute")]
    [InlineData("/etc/fleet-agent-test-x", "absolute")]
    [InlineData("..\\x", "backslash")]
    [InlineData("a\\..\\..\\x", "backslash")]
    [InlineData("", "empty")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a//x", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("./x", "'.'")]
    public async Task ConvergeAsync_EscapingPath_FailsAndWritesNothing(string path, string reason)
    {
        path = path.Replace("{outside}", Dir.Outside, StringComparison.Ordinal);
        var desired = Capability("evil", 1, File("evil", path, "pwned"));

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        var resource = Assert.Single(report.Resources);
        Assert.Equal(ResourceState.Failed, resource.State);
        Assert.Contains(reason, resource.Message, StringComparison.Ordinal);
        Assert.Contains("evil", report.Message, StringComparison.Ordinal);
        Assert.Empty(Dir.FilesInRoot());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Dir.Outside));
        Assert.False(System.IO.File.Exists(System.IO.Path.Combine(Dir.Path, "x")));
        Assert.False(System.IO.File.Exists("/etc/fleet-agent-test-x"));
    }

    [Theory]
    [InlineData("link/x")]
    [InlineData("link/deeper/x")]
    [InlineData("real/link2/x")]
    public async Task ConvergeAsync_PathThroughSymlinkedDirectory_FailsAndWritesNothingOutside(string path)
    {
        Directory.CreateSymbolicLink(Dir.InRoot("link"), Dir.Outside);
        Directory.CreateDirectory(Dir.InRoot("real"));
        Directory.CreateSymbolicLink(Dir.InRoot("real/link2"), Dir.Outside);

        var report = await NewDriver().ConvergeAsync(Capability("evil", 1, File("evil", path, "pwned")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("symlink", Assert.Single(report.Resources).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Dir.Outside));
    }

    [Fact]
    public async Task ConvergeAsync_SymlinkedFile_FailsAndLeavesTargetUntouched()
    {
        var target = System.IO.Path.Combine(Dir.Outside, "passwd");
        await System.IO.File.WriteAllTextAsync(target, "original", Ct);
        System.IO.File.CreateSymbolicLink(Dir.InRoot("passwd"), target);

        var report = await NewDriver().ConvergeAsync(Capability("evil", 1, File("evil", "passwd", "pwned")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("passwd is a symlink", Assert.Single(report.Resources).Message, StringComparison.Ordinal);
        Assert.Equal("original", await System.IO.File.ReadAllTextAsync(target, Ct));
        Assert.NotNull(new FileInfo(Dir.InRoot("passwd")).LinkTarget);
    }

    [Fact]
    public async Task ConvergeAsync_ResourceDropped_PrunesOnlyOwnedFiles()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("other", 1, File("o", "etc/other.conf", "other")), Ct);
        await driver.ConvergeAsync(Capability("app", 1, File("keep", "etc/keep.conf", "k"), File("drop", "etc/drop.conf", "d")), Ct);
        await System.IO.File.WriteAllTextAsync(Dir.InRoot("etc/foreign.conf"), "not ours", Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, File("keep", "etc/keep.conf", "k")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["etc/foreign.conf", "etc/keep.conf", "etc/other.conf"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_ForeignFileAtDesiredPathNeverWritten_SurvivesPrune()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("a", "a.conf", "a")), Ct);
        await System.IO.File.WriteAllTextAsync(Dir.InRoot("b.conf"), "someone else's", Ct);

        await driver.ConvergeAsync(Capability("app", 2), Ct);

        Assert.Equal(["b.conf"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_PathOwnedByAnotherCapability_FailsAndKeepsTheirFile()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("first", 1, File("f", "shared.conf", "first")), Ct);

        var report = await driver.ConvergeAsync(Capability("second", 1, File("s", "shared.conf", "second")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal("path shared.conf owned by capability first", Assert.Single(report.Resources).Message);
        Assert.Contains("s: path shared.conf owned by capability first", report.Message, StringComparison.Ordinal);
        Assert.Equal("first", await System.IO.File.ReadAllTextAsync(Dir.InRoot("shared.conf"), Ct));

        await driver.RemoveAsync("second", Ct);
        Assert.Equal("first", await System.IO.File.ReadAllTextAsync(Dir.InRoot("shared.conf"), Ct));
    }

    [Fact]
    public async Task ConvergeAsync_PathChanged_RemovesOldFileAndItsEmptyDirectories()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("conf", "old/deep/app.conf", "x")), Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, File("conf", "new/app.conf", "x")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["new/app.conf"], Dir.FilesInRoot());
        Assert.False(Directory.Exists(Dir.InRoot("old")));
        Assert.True(Directory.Exists(Dir.Root));
    }

    [Fact]
    public async Task ConvergeAsync_PrunedFileInSharedDirectory_KeepsNonEmptyDirectory()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("a", "d/a", "a"), File("b", "d/b", "b")), Ct);

        await driver.ConvergeAsync(Capability("app", 2, File("b", "d/b", "b")), Ct);

        Assert.Equal(["d/b"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_IdRenamedAtSamePath_KeepsFile()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("old-id", "app.conf", "x")), Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, File("new-id", "app.conf", "x")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["app.conf"], Dir.FilesInRoot());

        // The file now belongs to the new id: dropping it must still delete it.
        await driver.ConvergeAsync(Capability("app", 3), Ct);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_ReplacementFails_KeepsLastGoodFile()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("conf", "app.conf", "good")), Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, File("conf", "../app.conf", "bad")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal("good", await System.IO.File.ReadAllTextAsync(Dir.InRoot("app.conf"), Ct));
    }

    [Fact]
    public async Task ConvergeAsync_OneResourceFails_AppliesTheOthersAndNamesTheFailure()
    {
        var report = await NewDriver().ConvergeAsync(
            Capability("app", 1, File("a", "a.txt", "a"), File("bad", "../b.txt", "b"), File("c", "c.txt", "c")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.StartsWith("1 failed: bad: ", report.Message, StringComparison.Ordinal);
        Assert.Equal(
            [("a", ResourceState.Ready), ("bad", ResourceState.Failed), ("c", ResourceState.Ready)],
            report.Resources.Select(r => (r.Id, r.State)));
        Assert.Equal(["a.txt", "c.txt"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_DuplicatePathOrId_FailsTheLaterResource()
    {
        var report = await NewDriver().ConvergeAsync(
            Capability("app", 1, File("a", "x.txt", "first"), File("b", "x.txt", "second"), File("a", "y.txt", "third")), Ct);

        Assert.Equal(
            [("a", ResourceState.Ready, ""), ("b", ResourceState.Failed, "path x.txt is also written by resource a"), ("a", ResourceState.Failed, "duplicate resource id in this capability")],
            report.Resources.Select(r => (r.Id, r.State, r.Message)));
        Assert.Equal("first", await System.IO.File.ReadAllTextAsync(Dir.InRoot("x.txt"), Ct));
        Assert.Equal(["x.txt"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_ResourceOfOtherKind_FailsNamingTheKind()
    {
        var desired = Capability("app", 1, new Resource { Id = "web", Hash = "h", Manifest = new ManifestResource { Json = "{}" } });

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        var resource = Assert.Single(report.Resources);
        Assert.Equal(("web", "h", ResourceState.Failed), (resource.Id, resource.Hash, resource.State));
        Assert.Equal("the files driver cannot apply resource kind manifest", resource.Message);
    }

    [Theory]
    [InlineData(FilesDriver.MaxContentBytes, ResourceState.Ready)]
    [InlineData(FilesDriver.MaxContentBytes + 1, ResourceState.Failed)]
    public async Task ConvergeAsync_ContentSize_IsBoundedAtOneMebibyte(int bytes, ResourceState expected)
    {
        var report = await NewDriver().ConvergeAsync(Capability("big", 1, File("big", "big.bin", new string('x', bytes))), Ct);

        Assert.Equal(expected, report.State);
        Assert.Equal(expected == ResourceState.Ready, System.IO.File.Exists(Dir.InRoot("big.bin")));
    }

    [Fact]
    public async Task ConvergeAsync_MultiByteContentOverLimit_Fails()
    {
        // Under the limit in characters, over it in UTF-8 bytes.
        var content = new string('é', (FilesDriver.MaxContentBytes / 2) + 1);

        var report = await NewDriver().ConvergeAsync(Capability("big", 1, File("big", "big.txt", content)), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("at most 1048576 bytes", report.Resources[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0999")]
    [InlineData("4755")]
    [InlineData("1777")]
    [InlineData("rw-r--r--")]
    [InlineData("07777")]
    [InlineData("64")]
    public async Task ConvergeAsync_InvalidMode_FailsAndWritesNothing(string mode)
    {
        var report = await NewDriver().ConvergeAsync(Capability("app", 1, File("f", "f.txt", "x", mode)), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("mode", report.Resources[0].Message, StringComparison.Ordinal);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_TargetIsDirectory_Fails()
    {
        Directory.CreateDirectory(Dir.InRoot("etc/motd"));

        var report = await NewDriver().ConvergeAsync(Capability("motd", 1, File("motd", "etc/motd", "x")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal("path etc/motd is a directory", report.Resources[0].Message);
    }

    [Fact]
    public async Task ConvergeAsync_DesiredError_FailsAndTouchesNothing()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a")), Ct);
        var broken = Capability("app", 2, File("b", "b.txt", "b"));
        broken.Error = "render failed: unknown variable target.zone";

        var report = await driver.ConvergeAsync(broken, Ct);

        Assert.Equal((ResourceState.Failed, "render failed: unknown variable target.zone", 2L), (report.State, report.Message, report.Revision));
        Assert.Equal(ResourceState.Failed, Assert.Single(report.Resources).State);
        Assert.Equal(["a.txt"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_DesiredErrorForNewKey_DoesNotOwnIt()
    {
        var driver = NewDriver();
        var broken = Capability("app", 1, File("a", "a.txt", "a"));
        broken.Error = "no resource for this driver";

        await driver.ConvergeAsync(broken, Ct);

        Assert.Empty(driver.OwnedCapabilities);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task ConvergeAsync_Success_LeavesNoTemporaryFiles()
    {
        var driver = NewDriver();
        for (var revision = 1; revision <= 3; revision++)
        {
            await driver.ConvergeAsync(Capability("app", revision, File("a", "d/a.txt", $"v{revision}"), File("b", "b.txt", $"v{revision}")), Ct);
        }

        Assert.Equal(["b.txt", "d/a.txt"], Dir.FilesInRoot());
        Assert.Equal([FilesDriver.InventoryFileName], Directory.EnumerateFileSystemEntries(Dir.State).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public async Task ConvergeAsync_WhileAnotherThreadReads_ReaderOnlySeesWholeContents()
    {
        const int size = 512 * 1024;
        var driver = NewDriver();
        var path = Dir.InRoot("big.txt");
        string Content(int revision) => new((char)('a' + (revision % 26)), size);
        await driver.ConvergeAsync(Capability("big", 0, File("big", "big.txt", Content(0))), Ct);

        using var stop = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(
            () =>
            {
                var torn = new List<string>();
                var reads = 0;
                while (!stop.IsCancellationRequested)
                {
                    var bytes = System.IO.File.ReadAllBytes(path);
                    reads++;
                    if (bytes.Length != size || bytes.AsSpan().IndexOfAnyExcept(bytes[0]) >= 0)
                    {
                        torn.Add($"read {reads}: {bytes.Length} bytes starting with '{(char)bytes.FirstOrDefault()}'");
                    }
                }

                return (reads, torn);
            },
            Ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        for (var revision = 1; revision <= 20; revision++)
        {
            var report = await driver.ConvergeAsync(Capability("big", revision, File("big", "big.txt", Content(revision))), Ct);
            Assert.Equal(ResourceState.Ready, report.State);
        }

        await stop.CancelAsync();
        var (reads, torn) = await reader;
        Assert.True(reads > 0);
        Assert.Empty(torn);
        Assert.Equal(Encoding.ASCII.GetBytes(Content(20)), await System.IO.File.ReadAllBytesAsync(path, Ct));
    }

    [Fact]
    public async Task RemoveAsync_OwnedCapability_RemovesEverythingAndReportsRemoved()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("other", 1, File("o", "etc/other", "o")), Ct);
        var desired = Capability("app", 4, File("a", "etc/app/a", "a"), File("b", "etc/app/b", "b"), File("c", "c", "c"));
        await driver.ConvergeAsync(desired, Ct);
        await System.IO.File.WriteAllTextAsync(Dir.InRoot("foreign"), "f", Ct);

        var report = await driver.RemoveAsync("app", Ct);

        Assert.Equal(("app", 4L, desired.Hash, true, ResourceState.Ready), (report.Key, report.Revision, report.Hash, report.Removed, report.State));
        Assert.Equal(["etc/other", "foreign"], Dir.FilesInRoot());
        Assert.False(Directory.Exists(Dir.InRoot("etc/app")));
        Assert.Equal(["other"], driver.OwnedCapabilities);
    }

    [Fact]
    public async Task RemoveAsync_UnknownKey_ReportsRemoved()
    {
        var report = await NewDriver().RemoveAsync("never-seen", Ct);

        Assert.True(report.Removed);
        Assert.Equal("never-seen", report.Key);
    }

    [Fact]
    public async Task RemoveAsync_ParentReplacedBySymlink_FailsAndDeletesNothingOutside()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("a", "d/a.txt", "a")), Ct);
        Directory.Delete(Dir.InRoot("d"), recursive: true);
        await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(Dir.Outside, "a.txt"), "outside", Ct);
        Directory.CreateSymbolicLink(Dir.InRoot("d"), Dir.Outside);

        var report = await driver.RemoveAsync("app", Ct);

        Assert.False(report.Removed);
        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Contains("d is a symlink", report.Message, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(Dir.Outside, "a.txt")));
        Assert.Equal(["app"], driver.OwnedCapabilities);
    }

    [Fact]
    public async Task RemoveAsync_FileAlreadyDeletedByHand_ReportsRemoved()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a")), Ct);
        System.IO.File.Delete(Dir.InRoot("a.txt"));

        var report = await driver.RemoveAsync("app", Ct);

        Assert.True(report.Removed);
        Assert.Empty(driver.OwnedCapabilities);
    }

    [Fact]
    public async Task OwnedCapabilities_AfterRestart_ComesFromPersistedInventory()
    {
        var first = NewDriver();
        await first.ConvergeAsync(Capability("a", 1, File("f", "a.txt", "a")), Ct);
        await first.ConvergeAsync(Capability("b/team", 1, File("f", "b.txt", "b")), Ct);

        var restarted = NewDriver();

        Assert.Equal(["a", "b/team"], restarted.OwnedCapabilities.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConvergeAsync_AfterRestart_PrunesFilesWrittenBeforeRestart()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a"), File("b", "b/b.txt", "b")), Ct);
        await System.IO.File.WriteAllTextAsync(Dir.InRoot("foreign.txt"), "f", Ct);

        var restarted = NewDriver();
        var report = await restarted.ConvergeAsync(Capability("app", 2, File("a", "a.txt", "a")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["a.txt", "foreign.txt"], Dir.FilesInRoot());
    }

    [Fact]
    public async Task RemoveAsync_AfterRestart_RemovesFilesWrittenBeforeRestart()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a")), Ct);

        var report = await NewDriver().RemoveAsync("app", Ct);

        Assert.True(report.Removed);
        Assert.Empty(Dir.FilesInRoot());
        Assert.Empty(NewDriver().OwnedCapabilities);
    }

    [Fact]
    public async Task ConvergeAsync_AfterRestart_StillRefusesPathOwnedByOtherCapability()
    {
        await NewDriver().ConvergeAsync(Capability("first", 1, File("f", "shared", "first")), Ct);

        var report = await NewDriver().ConvergeAsync(Capability("second", 1, File("s", "shared", "second")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal("first", await System.IO.File.ReadAllTextAsync(Dir.InRoot("shared"), Ct));
    }

    [Fact]
    public async Task ConvergeAsync_InterruptedAfterFirstWrite_RestartStillOwnsThatFile()
    {
        using var crash = new CancellationTokenSource();
        var interrupted = new FilesDriver(Dir.Root, Dir.State, TimeProvider.System, new CancelOnWriteLogger(crash));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => interrupted.ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a"), File("b", "b.txt", "b")), crash.Token));
        Assert.Equal(["a.txt"], Dir.FilesInRoot());

        var restarted = NewDriver();
        var report = await restarted.RemoveAsync("app", Ct);

        Assert.True(report.Removed);
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public async Task Constructor_CorruptInventory_Throws()
    {
        await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(Dir.State, FilesDriver.InventoryFileName), "{ not json", Ct);

        var ex = Assert.Throws<InvalidDataException>(NewDriver);

        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConvergeAsync_InventoryPathEditedToEscape_IsForgottenNotDeleted()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a")), Ct);
        var inventory = System.IO.Path.Combine(Dir.State, FilesDriver.InventoryFileName);
        var victim = System.IO.Path.Combine(Dir.Outside, "victim");
        await System.IO.File.WriteAllTextAsync(victim, "keep me", Ct);
        var json = await System.IO.File.ReadAllTextAsync(inventory, Ct);
        await System.IO.File.WriteAllTextAsync(inventory, json.Replace("\"a.txt\"", "\"../outside/victim\"", StringComparison.Ordinal), Ct);

        var driver = NewDriver();
        var report = await driver.ConvergeAsync(Capability("app", 2), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.True(System.IO.File.Exists(victim));
    }

    [Fact]
    public async Task ConvergeAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => NewDriver().ConvergeAsync(Capability("app", 1, File("a", "a.txt", "a")), cancelled.Token));
        Assert.Empty(Dir.FilesInRoot());
    }

    [Fact]
    public void Name_IsFiles() => Assert.Equal("files", NewDriver().Name);
}
