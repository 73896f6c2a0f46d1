using System.Diagnostics;
using System.Runtime.Versioning;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Files.Desired;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>
/// A local user swapping a directory of the root for a symlink to the outside while the agent writes: the check for
/// symlinks and the write are not one step, so only a write that never follows a symlink keeps files inside the root.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FilesSymlinkRaceTests : FilesDriverTestBase
{
    [Fact]
    public async Task ConvergeAsync_DirectorySwappedForASymlinkMeanwhile_NothingLandsOutsideTheRoot()
    {
        var driver = NewDriver();
        var swapped = Dir.InRoot("d");
        var aside = Dir.InRoot("d-aside");
        Directory.CreateDirectory(swapped);
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The directory goes aside and a symlink to the outside takes its name, then the other way round.
                    if (Directory.Exists(swapped) && new DirectoryInfo(swapped).LinkTarget is null)
                    {
                        Directory.Move(swapped, aside);
                    }

                    System.IO.File.CreateSymbolicLink(swapped, Dir.Outside);
                    Thread.SpinWait(200);
                    System.IO.File.Delete(swapped);
                    if (Directory.Exists(aside))
                    {
                        Directory.Move(aside, swapped);
                    }

                    swaps++;
                }
                catch (IOException)
                {
                    // The driver created or removed something under the name meanwhile: swap again.
                }
            }
        }, Ct);

        // Bounded in time and in passes; every pass writes (new content) or prunes (the file leaves the set), both of
        // which walk through the swapped directory.
        var clock = Stopwatch.StartNew();
        for (var revision = 1; revision <= 4000 && clock.Elapsed < TimeSpan.FromSeconds(4); revision++)
        {
            var resources = revision % 3 == 0
                ? [File("keep", "k.txt", "k")]
                : new[] { File("keep", "k.txt", "k"), File("in-d", "d/sub/f.txt", $"v{revision}"), File("in-d2", "d/g.txt", $"v{revision}") };
            await driver.ConvergeAsync(Capability("race", revision, resources), Ct);
        }

        await stop.CancelAsync();
        await swapper;

        Assert.True(swaps > 0, "the swapper never swapped");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Dir.Outside, "*", SearchOption.AllDirectories));
    }
}
