using Fleet.Hub.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// The outermost interceptor of every gRPC service: a call that failed because storage is down (the audit record,
/// a grain's state, a lookup) answers <c>Unavailable</c> with <c>storage unavailable: ...</c> instead of gRPC's
/// <c>Unknown</c> "Exception was thrown by handler", so an operator sees why and may retry. Nothing was changed
/// by such a call that the hub acknowledged: a state write either committed before its answer or failed.
/// </summary>
internal sealed partial class StorageFailureInterceptor(ILogger<StorageFailureInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        Guarded(context, () => continuation(request, context));

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guarded(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guarded(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guarded(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    /// <summary>One rule for every kind of call: a storage failure becomes the answer that names it.</summary>
    private async Task<T> Guarded<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not RpcException && StorageFailure.Find(e) is { } failure)
        {
            throw Refuse(context, failure);
        }
    }

    private RpcException Refuse(ServerCallContext context, Exception failure)
    {
        var answer = StorageFailure.ToRpcException(failure);
        LogRefused(logger, context.Method, answer.Status.Detail);
        return answer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string reason);
}
