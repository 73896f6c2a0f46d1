using Fleet.Hub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Hub.Tests.Storage;

public sealed class SqliteStorageSiloTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddFleetSqliteStorage_SiloRestartedOnSameDataDir_StateAndReminderSurviveAndReminderFires()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDir = Path.Combine(_directory.Path, "hub");

        using (var first = BuildSilo(dataDir, new ReminderProbe()))
        {
            await first.StartAsync(ct);
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("p1");
            await grain.SaveAsync("before restart");

            // 5 s is the lowered minimum period. The first tick, 2 s out, normally falls after this
            // silo stopped; should this silo take it, the new one gets the next, a period later.
            // Either way the tick awaited below is the new silo's: each silo has its own probe.
            await grain.StartReminderAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
            await first.StopAsync(ct);
        }

        var probe = new ReminderProbe();
        using var second = BuildSilo(dataDir, probe);
        await second.StartAsync(ct);
        try
        {
            // Orleans' reminder service runs on real time: this waits for one real tick (≤ 5 s).
            var tick = await probe.FirstTick("p1").WaitAsync(TimeSpan.FromSeconds(15), ct);

            Assert.Equal(StorageProbeGrain.ReminderName, tick.ReminderName);
            Assert.Equal("before restart", tick.StateName);
            var grain = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("p1");
            Assert.Equal(["before restart", "before restart"], await grain.LoadAsync());
        }
        finally
        {
            await second.StopAsync(ct);
        }
    }

    private static IHost BuildSilo(string dataDir, ReminderProbe probe)
    {
        var ports = FreePorts.Take(2);
        return Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddSingleton(probe))
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort: ports[0], gatewayPort: ports[1])
                .AddFleetSqliteStorage(dataDir))
            .Build();
    }
}
