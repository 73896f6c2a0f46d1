namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// The health listener's host lives exactly as long as the hub's: it must not handle SIGTERM or Ctrl+C itself (the
/// default console lifetime would), or it would stop answering before the hub has stopped.
/// </summary>
internal sealed class HealthServerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
