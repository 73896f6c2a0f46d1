using System.Runtime.Versioning;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Drivers.Files;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Tests.Drivers;

/// <summary>The inventories can hold rendered exec env values (secrets): only the agent's user may read them.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StateFileModeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Inventories_AfterAConverge_AreMode0600()
    {
        var ct = TestContext.Current.CancellationToken;
        await new FilesDriver(_dir.Root, _dir.State, TimeProvider.System, NullLogger<FilesDriver>.Instance)
            .ConvergeAsync(Files.Desired.Capability("app", 1, Files.Desired.File("a", "a.txt", "a")), ct);
        await new ExecDriver(_dir.State, new ExecOptions { Retries = 0 }, TimeProvider.System, NullLogger<ExecDriver>.Instance)
            .ConvergeAsync(Exec.ExecDesired.Capability("job", 1, Exec.ExecDesired.Sh("x", "true", env: ("TOKEN", "s3cret-value"))), ct);

        foreach (var name in new[] { FilesDriver.InventoryFileName, ExecDriver.InventoryFileName })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.State, name)));
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(_dir.State), f => Path.GetFileName(f).StartsWith(".fleet-tmp-", StringComparison.Ordinal));
    }
}
