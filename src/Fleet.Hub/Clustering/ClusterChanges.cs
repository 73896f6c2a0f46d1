namespace Fleet.Hub.Clustering;

/// <summary>
/// Tells this node's agent streams when a node of the hub left the cluster. With Orleans' default
/// grain directory a node's death also deactivates grains on the surviving nodes (DESIGN.md), so a
/// stream's TargetGrain may have a new activation that knows no stream: every stream re-attaches at
/// once instead of waiting for its agent's next heartbeat.
/// </summary>
internal sealed partial class ClusterChanges(IClusterMembershipService membership, ILogger<ClusterChanges> logger) : BackgroundService
{
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Completes at the next departure of a node (dead, or shutting down) after the call.</summary>
    public Task NextDepartureAsync(CancellationToken cancellationToken) => Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gone = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var departed = snapshot.Members.Values
                    .Where(m => m.Status is SiloStatus.Dead or SiloStatus.ShuttingDown or SiloStatus.Stopping && gone.Add(m.SiloAddress))
                    .Select(m => m.SiloAddress)
                    .ToList();
                if (departed.Count > 0)
                {
                    LogDeparted(logger, string.Join(", ", departed));
                    Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub node(s) left the cluster: {Silos}; agent streams on this node re-attach to their targets")]
    private static partial void LogDeparted(ILogger logger, string silos);
}
