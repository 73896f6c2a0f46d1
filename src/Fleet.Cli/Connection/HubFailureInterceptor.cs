using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Fleet.Cli.Connection;

/// <summary>
/// Turns a call that never reached the hub into a <see cref="HubUnreachableException"/> that says which hub and what
/// happened. gRPC's own status says neither: a deadline comes back with an empty detail and a refused connection
/// as "Error connecting to subchannel.", the cause being only in its debug exception. A hub that answers that its
/// storage is down was reached, and is left to <see cref="StorageUnavailableAnswer"/>.
/// </summary>
internal sealed class HubFailureInterceptor(Uri hub) : Interceptor
{
    private readonly string _hub = hub.ToString().TrimEnd('/');

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var started = DateTime.UtcNow;
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(
            Describe(call.ResponseAsync, context.Options.Deadline, started), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> Describe<TResponse>(Task<TResponse> response, DateTime? deadline, DateTime started)
    {
        try
        {
            return await response;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.DeadlineExceeded)
        {
            var within = deadline is { } d && d != DateTime.MaxValue
                ? $"within {Math.Max(0, (d - started).TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture)} s "
                : "";
            throw new HubUnreachableException($"cannot reach the hub at {_hub}: no answer {within}(deadline exceeded)", e);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable && !StorageUnavailableAnswer.Is(e))
        {
            throw new HubUnreachableException($"cannot reach the hub at {_hub}: {Cause(e)}", e);
        }
    }

    /// <summary>The innermost exception says it best ("Connection refused", the certificate problem); else gRPC's detail.</summary>
    private static string Cause(RpcException e)
    {
        var inner = e.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var cause = inner?.Message is { Length: > 0 } message ? message : e.Status.Detail;
        return string.IsNullOrWhiteSpace(cause) ? "the hub is unavailable" : cause.Trim();
    }
}
