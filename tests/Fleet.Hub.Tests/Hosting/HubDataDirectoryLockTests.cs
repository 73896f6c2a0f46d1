using Fleet.Hub.Hosting;
using Fleet.Hub.Tests.Storage;
using Microsoft.Extensions.Logging;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// Two hubs never use one data directory at once: the second is refused before it starts, naming the
/// holder, and the directory is free again as soon as the first hub is gone (after a failed start too:
/// see AdminTokenRecoveryTests, whose second hub uses the directory of one whose start failed).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HubDataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_SecondHubOnTheDataDirectoryOfARunningHub_ThrowsNamingThePid()
    {
        await using var first = Build();
        await first.StartAsync(Cancel);

        var refused = Assert.Throws<HubStartupException>(() => Build());

        Assert.Equal($"another fleet-hub is using {Data} (pid {Environment.ProcessId})", refused.Message);
    }

    [Fact]
    public async Task Build_AfterTheFirstHubStoppedAndWasDisposed_Starts()
    {
        var first = Build();
        await first.StartAsync(Cancel);
        await first.StopAsync(Cancel);
        await first.DisposeAsync();

        await using var second = Build();
        await second.StartAsync(Cancel);
    }

    [Fact]
    public void Acquire_WhileHeld_RefusesAndAfterDisposeSucceeds()
    {
        var held = HubDataDirectoryLock.Acquire(_directory.Path);
        Assert.Throws<HubStartupException>(() => HubDataDirectoryLock.Acquire(_directory.Path));

        held.Dispose();

        var again = HubDataDirectoryLock.Acquire(_directory.Path);
        again.Dispose();
        // Read after the release: .NET's File API takes a shared flock, which the holder's lock refuses.
        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(again.Path));
    }

    public void Dispose() => _directory.Dispose();

    private string Data => Path.Combine(_directory.Path, "hub");

    private Microsoft.AspNetCore.Builder.WebApplication Build()
    {
        var ports = FreePorts.Take(3);
        return HubHost.Build(
            new HubOptions { Urls = $"http://127.0.0.1:{ports[0]}", DataDirectory = Data, SiloPort = ports[1], GatewayPort = ports[2], Insecure = true },
            logging => logging.ClearProviders());
    }
}
