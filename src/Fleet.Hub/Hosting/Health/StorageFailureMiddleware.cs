using System.Globalization;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// The HTTP side of <see cref="StorageFailureInterceptor"/>: who calls is resolved before any gRPC method runs (a
/// token's hash, a certificate's revocation are looked up in storage), so a storage outage there fails the request
/// before an interceptor could see it. This answers such a request as gRPC does, trailers-only, with
/// <c>Unavailable</c> and <c>storage unavailable: ...</c>, instead of an HTTP 500 that clients show as "Internal".
/// </summary>
internal sealed partial class StorageFailureMiddleware(RequestDelegate next, ILogger<StorageFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && StorageFailure.Find(e) is { } failure)
        {
            var answer = StorageFailure.ToRpcException(failure);
            LogRefused(logger, context.Request.Path, answer.Status.Detail);
            var response = context.Response;
            response.Clear();
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture);
            // gRPC's grpc-message is percent-encoded; Uri escaping is a valid (if generous) form of it.
            response.Headers["grpc-message"] = Uri.EscapeDataString(answer.Status.Detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string reason);
}
