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
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException && StorageFailure.Find(e) is { } failure)
        {
            throw Refuse(context, failure);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException && StorageFailure.Find(e) is { } failure)
        {
            throw Refuse(context, failure);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException && StorageFailure.Find(e) is { } failure)
        {
            throw Refuse(context, failure);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
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
