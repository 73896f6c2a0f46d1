using Fleet.Hub.Storage;
using Fleet.Protocol;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// Whether this node should get traffic: its silo is Active in its cluster and its storage answers. Every check is
/// bounded by <see cref="Timeout"/>, and an answer is reused for <see cref="CacheFor"/> by every probe that comes in
/// meanwhile (and one check in flight is shared by all that wait for it), so a storm of probes, or a probe on every
/// node of a large cluster, costs the database at most one cheap query per node and second.
/// </summary>
internal sealed class ReadinessCheck(Func<SiloStatus> siloStatus, IStorageProbe storage, TimeProvider time)
{
    /// <summary>Longer than a healthy PostgreSQL needs by far; short enough for a probe's own timeout (Kubernetes: 1 s by default, set 3 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<Readiness>? _current;

    public Task<Readiness> CheckAsync()
    {
        lock (_gate)
        {
            if (_current is not { IsCompleted: false } && (_current is not { IsCompletedSuccessfully: true } || time.GetUtcNow() - _current.Result.CheckedAt >= CacheFor))
            {
                _current = RunAsync();
            }

            return _current;
        }
    }

    private async Task<Readiness> RunAsync()
    {
        // Off the caller's lock: the probe may complete synchronously, and the check must not run under the gate.
        await Task.Yield();
        var (ready, reason) = await EvaluateAsync().ConfigureAwait(false);
        return new Readiness(ready, reason, time.GetUtcNow());
    }

    private async Task<(bool Ready, string Reason)> EvaluateAsync()
    {
        var status = siloStatus();
        if (status != SiloStatus.Active)
        {
            return (false, $"silo not active: {status}");
        }

        using var bound = new CancellationTokenSource(Timeout, time);
        try
        {
            // WaitAsync as well as the token: a driver that ignores cancellation still cannot hold the answer.
            await storage.ProbeAsync(bound.Token).WaitAsync(Timeout, time).ConfigureAwait(false);
            return (true, "ready");
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && bound.IsCancellationRequested))
        {
            return (false, $"{StorageUnavailable.Prefix}no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            return (false, StorageUnavailable.Prefix + StorageFailure.Describe(e));
        }
    }
}
