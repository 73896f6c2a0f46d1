using System.Threading.RateLimiting;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Hub.Security;

/// <summary>
/// Wraps the request side of an agent's stream. It holds an agent to the identity of its certificate
/// (the hello must name the certificate's target), ends the stream when the certificate expires or
/// the target is revoked, and paces what the agent sends: over its rate, reads wait, so HTTP/2 flow
/// control pushes back on the agent instead of the hub queueing its messages.
/// </summary>
internal sealed class AgentStreamGuard : IAsyncStreamReader<AgentMessage>, IDisposable
{
    private readonly IAsyncStreamReader<AgentMessage> _inner;
    private readonly string? _identity;
    private readonly CancellationTokenSource _cutOff;
    private readonly IDisposable? _registration;
    private readonly TokenBucketRateLimiter _rate;
    private readonly ITimer? _timer;
    private string _cutOffReason = "the stream was ended by the hub";
    private bool _first = true;

    public AgentStreamGuard(
        IAsyncStreamReader<AgentMessage> inner,
        Caller caller,
        AgentSessionRegistry sessions,
        SecurityClock clock,
        SecurityLimits limits)
    {
        _inner = inner;
        _identity = caller.AgentName;
        _cutOff = new CancellationTokenSource();
        _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.AgentMessageBurst,
            TokensPerPeriod = limits.AgentMessagesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        if (_identity is not null)
        {
            _registration = sessions.Register(_identity, CutOff);
            if (caller.CertificateNotAfter is { } notAfter)
            {
                var remaining = notAfter - clock.Now;
                _timer = clock.Time.CreateTimer(
                    _ => CutOff("the client certificate expired; the agent must renew it or enroll again"),
                    null,
                    remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                    Timeout.InfiniteTimeSpan);
            }
        }
    }

    public AgentMessage Current => _inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cutOff.Token);
        try
        {
            if (!_first)
            {
                using var lease = await _rate.AcquireAsync(1, linked.Token);
            }

            var has = await _inner.MoveNext(linked.Token);
            if (_first && has)
            {
                _first = false;
                CheckIdentity(_inner.Current);
            }

            return has;
        }
        catch (OperationCanceledException) when (_cutOff.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, _cutOffReason));
        }
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _timer?.Dispose();
        _rate.Dispose();
        _cutOff.Dispose();
    }

    private void CutOff(string reason)
    {
        try
        {
            if (!_cutOff.IsCancellationRequested)
            {
                _cutOffReason = reason;
                _cutOff.Cancel();
            }
        }
        catch (ObjectDisposedException)
        {
            // The stream already ended.
        }
    }

    private void CheckIdentity(AgentMessage first)
    {
        if (_identity is not null && first.BodyCase == AgentMessage.BodyOneofCase.Hello && first.Hello.Name != _identity)
        {
            // The name is the agent's claim; the certificate is the hub's word. Only the word counts.
            throw new RpcException(new Status(
                StatusCode.PermissionDenied,
                $"this client certificate was issued to target {_identity}; it cannot connect as another target"));
        }
    }
}
