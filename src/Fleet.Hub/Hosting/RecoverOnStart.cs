using Fleet.Hub.Capabilities;
using Fleet.Hub.Catalog;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;

namespace Fleet.Hub.Hosting;

/// <summary>
/// When the silo is up, every capability repairs its catalog entry and wakes its active rollout, so a
/// hub killed mid-rollout continues at once instead of at the rollout's next reminder tick.
/// </summary>
internal sealed partial class RecoverOnStart(IGrainFactory grains, ILogger<RecoverOnStart> logger) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken)
    {
        // In the background: recovery talks to many grains and must not hold up serving agents.
        _ = Task.Run(RecoverAll, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RecoverAll()
    {
        try
        {
            var catalog = await grains.GetGrain<ICatalogGrain>(0).List();
            // Capabilities first: one that recovers offers its latest revision to its instances.
            await Task.WhenAll(catalog.Where(c => !DeliveryKeys.IsInstance(c.Name)).Select(c => grains.GetGrain<ICapabilityGrain>(c.Name).Recover()));
            await Task.WhenAll(catalog.Where(c => DeliveryKeys.IsInstance(c.Name)).Select(c => grains.GetGrain<IInstanceGrain>(DeliveryKeys.Split(c.Name).Instance!).Recover()));
            LogRecovered(logger, catalog.Count);
        }
        catch (Exception e)
        {
            LogRecoveryFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Count} capabilities after start")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery after start failed; rollouts resume at their next reminder tick")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);
}
