using Fleet.Hub.Capabilities;
using Fleet.Hub.Catalog;

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
            await Task.WhenAll(catalog.Select(c => grains.GetGrain<ICapabilityGrain>(c.Name).Recover()));
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
