using Fleet.Protocol.Agent.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Fleet.Hub.Security;

/// <summary>
/// Every gRPC call of the hub passes here. It looks the method up in <see cref="MethodPolicies"/>
/// (unknown methods are refused to everyone), checks the caller that <see cref="CallerResolutionMiddleware"/>
/// established against the role the method needs, and audits mutating calls: the record is written
/// durably before the method runs and completed with its outcome before the answer is sent, so no
/// change is ever acknowledged without a record of it.
/// </summary>
internal sealed partial class SecurityInterceptor(
    ISecurityStore store,
    SecurityClock clock,
    AgentSessionRegistry sessions,
    SecurityLimits limits,
    ILogger<SecurityInterceptor> logger) : Interceptor
{
    private const int MaxObjectLength = 300;
    private const int MaxDetailLength = 500;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var (caller, policy) = await Authorize(context, request as IMessage);
        if (!policy.Mutating)
        {
            return await continuation(request, context);
        }

        var method = MethodName(context);
        var sequence = await store.AppendAudit(new AuditRecord(
            0, clock.Now, caller.Who, caller.RoleName, method, Limit(policy.DescribeObject((IMessage)request, null), MaxObjectLength), "started", ""));
        TResponse response;
        try
        {
            response = await continuation(request, context);
        }
        catch (Exception e)
        {
            var (outcome, detail) = e is RpcException rpc ? (rpc.StatusCode.ToString(), rpc.Status.Detail) : ("Internal", e.GetType().Name);
            await store.CompleteAudit(sequence, outcome, "", Limit(detail, MaxDetailLength));
            throw;
        }

        await store.CompleteAudit(
            sequence,
            Outcome(response),
            Limit(policy.DescribeObject((IMessage)request, response as IMessage), MaxObjectLength),
            "");
        return response;
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (caller, _) = await Authorize(context, null);
        if (requestStream is not IAsyncStreamReader<AgentMessage> agentStream)
        {
            await continuation(requestStream, responseStream, context);
            return;
        }

        using var guard = new AgentStreamGuard(agentStream, caller, sessions, clock, limits);
        await continuation((IAsyncStreamReader<TRequest>)(object)guard, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await Authorize(context, null);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await Authorize(context, request as IMessage);
        await continuation(request, responseStream, context);
    }

    private async Task<(Caller Caller, MethodPolicy Policy)> Authorize(ServerCallContext context, IMessage? request)
    {
        var caller = context.GetHttpContext().Features.Get<Caller>()
            ?? throw new InvalidOperationException("the caller was not resolved: UseFleetSecurity() must run before the gRPC endpoints");
        var policy = MethodPolicies.For(context.Method);
        if (policy is null)
        {
            // Fail closed: a method nobody classified is nobody's, not everybody's.
            LogUnmapped(logger, context.Method);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{MethodName(context)} is not open to any caller: it has no entry in Fleet.Hub.Security.MethodPolicies"));
        }

        if (caller.Kind == CallerKind.Insecure || policy.Access == MethodAccess.Anonymous)
        {
            return (caller, policy);
        }

        if (policy.Access == MethodAccess.Agent)
        {
            if (caller.Kind == CallerKind.Agent)
            {
                return (caller, policy);
            }

            throw Refuse(caller, caller.Problem is { } agentProblem
                ? new Status(caller.AgentName is null ? StatusCode.Unauthenticated : StatusCode.PermissionDenied, agentProblem)
                : new Status(StatusCode.Unauthenticated, "agents must present the client certificate issued at enrollment (fleet-agent --token)"));
        }

        if (caller.Kind != CallerKind.Operator)
        {
            throw Refuse(caller, new Status(StatusCode.Unauthenticated, caller.Problem is { } problem
                ? $"{problem}; pass a valid token with --token or FLEET_TOKEN"
                : "this hub needs a token: pass --token or set FLEET_TOKEN"));
        }

        if (FleetRoles.Allows(caller.Role!.Value, policy.Access))
        {
            return (caller, policy);
        }

        var method = MethodName(context);
        var needed = policy.Access.ToString().ToLowerInvariant();
        if (policy.Mutating)
        {
            // A refused attempt to change something is worth knowing about: who tried what.
            await store.AppendAudit(new AuditRecord(
                0, clock.Now, caller.Who, caller.RoleName, method,
                request is null ? "" : Limit(policy.DescribeObject(request, null), MaxObjectLength),
                "denied", $"needs role {needed}"));
        }

        LogDenied(logger, caller.Who, caller.RoleName, method);
        throw new RpcException(new Status(StatusCode.PermissionDenied, $"role {caller.RoleName} may not call {method} (needs {needed})"));
    }

    private RpcException Refuse(Caller caller, Status status)
    {
        LogUnauthenticated(logger, caller.RateKey, status.Detail);
        return new RpcException(status);
    }

    private static string Outcome<TResponse>(TResponse response) => response switch
    {
        Fleet.Protocol.Admin.V1.ApplyResponse { Errors.Count: > 0 } apply => $"invalid ({apply.Errors.Count} errors)",
        Fleet.Protocol.Admin.V1.DeleteResponse { Found: false } => "not found",
        Fleet.Protocol.Security.V1.RevokeTokenResponse { Found: false } => "not found",
        Fleet.Protocol.Admin.V1.ApplyResponse { Outcome: { Length: > 0 } applied } => $"ok ({applied})",
        _ => "ok",
    };

    private static string MethodName(ServerCallContext context) => context.Method.TrimStart('/');

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused a call to {Method}: it has no entry in the method policies")]
    private static partial void LogUnmapped(ILogger logger, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Denied {Who} ({Role}) calling {Method}")]
    private static partial void LogDenied(ILogger logger, string who, string role, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an unauthenticated call from {Caller}: {Reason}")]
    private static partial void LogUnauthenticated(ILogger logger, string caller, string reason);
}
