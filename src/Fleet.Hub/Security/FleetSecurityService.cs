using Fleet.Domain.Validation;
using Fleet.Protocol.Security.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Hub.Security;

/// <summary>Tokens, target revocation and the audit log, for admins. <see cref="SecurityInterceptor"/> checks the role.</summary>
internal sealed partial class FleetSecurityService(
    ISecurityStore store,
    SecurityClock clock,
    SecurityMode mode,
    SecurityLimits limits,
    AgentSessionRegistry sessions,
    IGrainFactory grains,
    ILogger<FleetSecurityService> logger) : FleetSecurity.FleetSecurityBase
{
    /// <summary>An agent token that nobody uses should not linger: it is a key to join the fleet.</summary>
    public static readonly TimeSpan DefaultAgentTokenLifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxAgentTokenLifetime = TimeSpan.FromDays(7);

    private const int MaxDescriptionLength = 200;

    public override async Task<CreateTokenResponse> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        RequireSecure();
        if (!FleetRoles.TryParse(request.Role, out var role))
        {
            throw Invalid($"role '{Truncate(request.Role)}' is not one of {string.Join(", ", FleetRoles.Names)}");
        }

        if (request.TtlSeconds < 0)
        {
            throw Invalid("the lifetime must be positive");
        }

        if (request.Description.Length > MaxDescriptionLength || request.Description.Any(char.IsControl))
        {
            throw Invalid($"the description must be printable and at most {MaxDescriptionLength} characters");
        }

        string? target = null;
        if (request.Target.Length > 0)
        {
            if (role != FleetRole.Agent)
            {
                throw Invalid("--target binds an agent token to a target; it does not apply to role " + request.Role);
            }

            if (!NameRules.IsDns1123Label(request.Target))
            {
                throw Invalid($"target '{Truncate(request.Target)}' is not a DNS-1123 label");
            }

            target = request.Target;
        }

        var policy = PolicyOf(request, role);
        var now = clock.Now;
        TimeSpan? lifetime = request.TtlSeconds > 0 ? TimeSpan.FromSeconds(request.TtlSeconds) : null;
        if (role == FleetRole.Agent)
        {
            lifetime ??= DefaultAgentTokenLifetime;
            if (lifetime > MaxAgentTokenLifetime)
            {
                throw Invalid($"an agent token lives at most {MaxAgentTokenLifetime.TotalDays:0} days");
            }
        }

        var caller = context.GetHttpContext().Features.Get<Caller>()!;
        var (token, id, hash) = TokenCodec.Create();
        var expires = lifetime is { } ttl ? now + ttl : (DateTimeOffset?)null;
        await store.InsertToken(new StoredToken(id, hash, role, request.Description, target, now, expires, null, null, caller.Who, policy));
        LogCreated(logger, id, FleetRoles.Name(role), caller.Who);
        var response = new CreateTokenResponse { Token = token, Id = id };
        if (expires is { } at)
        {
            response.Expires = Timestamp.FromDateTimeOffset(at);
        }

        return response;
    }

    public override async Task<TokenList> ListTokens(ListTokensRequest request, ServerCallContext context)
    {
        var now = clock.Now;
        var list = new TokenList();
        foreach (var token in await store.ListTokens())
        {
            var info = new TokenInfo
            {
                Id = token.Id,
                Role = FleetRoles.Name(token.Role),
                Description = token.Description,
                Target = token.Target ?? "",
                Created = Timestamp.FromDateTimeOffset(token.Created),
                State = token.State(now),
                CreatedBy = token.CreatedBy,
                Driver = token.Enrollment.Driver ?? "",
                EnrolledLabels = token.Enrollment.EnrollsLabels,
            };
            foreach (var (key, value) in token.Enrollment.Labels ?? new Dictionary<string, string>())
            {
                info.Labels[key] = value;
            }

            info.AllowedLabelKeys.Add(token.Enrollment.AllowedKeys);
            if (token.Expires is { } expires)
            {
                info.Expires = Timestamp.FromDateTimeOffset(expires);
            }

            list.Items.Add(info);
        }

        return list;
    }

    public override async Task<RevokeTokenResponse> RevokeToken(RevokeTokenRequest request, ServerCallContext context)
    {
        RequireSecure();
        return new RevokeTokenResponse { Found = await store.RevokeToken(request.Id, clock.Now) };
    }

    public override async Task<RevokeTargetResponse> RevokeTarget(RevokeTargetRequest request, ServerCallContext context)
    {
        RequireSecure();
        if (!NameRules.IsDns1123Label(request.Name))
        {
            throw Invalid($"target '{Truncate(request.Name)}' is not a DNS-1123 label");
        }

        var (certificates, tokens) = await store.RevokeTarget(request.Name, clock.Now);
        var reason = $"target {request.Name} was revoked";
        // The target's grain ends its stream on whichever node holds it; the local registry catches a
        // stream here that its grain has lost track of (which re-checks the store when it re-attaches).
        await grains.GetGrain<Targets.ITargetGrain>(request.Name).CutOff(reason);
        var streams = sessions.CutOff(request.Name, reason);
        LogRevokedTarget(logger, request.Name, certificates, tokens, streams);
        return new RevokeTargetResponse { Certificates = certificates, Tokens = tokens };
    }

    public override async Task<AuditList> ListAudit(ListAuditRequest request, ServerCallContext context)
    {
        var limit = request.Limit is > 0 ? Math.Min(request.Limit, limits.MaxAuditRecords) : 1000;
        var records = await store.ListAudit(request.Since?.ToDateTimeOffset(), limit);
        var list = new AuditList();
        list.Items.Add(records.Select(r => new AuditEntry
        {
            Sequence = r.Sequence,
            Time = Timestamp.FromDateTimeOffset(r.Time),
            Who = r.Who,
            Role = r.Role,
            Method = r.Method,
            Object = r.Object,
            Outcome = r.Outcome,
            Detail = r.Detail,
        }));
        return list;
    }

    /// <summary>The enrollment policy of an agent token (<see cref="LabelPolicy"/>); labels, keys and driver belong to agent tokens only.</summary>
    private static LabelPolicy? PolicyOf(CreateTokenRequest request, FleetRole role)
    {
        if (request.Labels.Count == 0 && request.AllowedLabelKeys.Count == 0 && request.Driver.Length == 0)
        {
            return null;
        }

        if (role != FleetRole.Agent)
        {
            throw Invalid("--label, --allow-label-keys and --driver fix what an agent token enrolls; they do not apply to role " + request.Role);
        }

        if (request.Labels.Count + request.AllowedLabelKeys.Count > Agents.AgentMessageLimits.MaxLabels)
        {
            throw Invalid($"at most {Agents.AgentMessageLimits.MaxLabels} labels and allowed keys together");
        }

        foreach (var (key, value) in request.Labels)
        {
            if (!NameRules.IsLabelKey(key))
            {
                throw Invalid($"label key '{Truncate(key)}' is not a valid Kubernetes label key");
            }

            if (!NameRules.IsLabelValue(value))
            {
                throw Invalid($"label {Truncate(key)}: value '{Truncate(value)}' is not a valid Kubernetes label value");
            }
        }

        if (request.AllowedLabelKeys.FirstOrDefault(k => !NameRules.IsLabelKey(k)) is { } badKey)
        {
            throw Invalid($"allowed label key '{Truncate(badKey)}' is not a valid Kubernetes label key");
        }

        if (request.Driver.Length > 0 && !Agents.AgentMessageLimits.Drivers.Contains(request.Driver))
        {
            throw Invalid($"driver '{Truncate(request.Driver)}' is not one of {string.Join(", ", Agents.AgentMessageLimits.Drivers)}");
        }

        var (policy, problem) = LabelPolicy.Create(request.Labels, request.AllowedLabelKeys, request.Driver);
        return policy ?? throw Invalid(problem!);
    }

    private void RequireSecure()
    {
        if (mode.Insecure)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "this hub runs with --insecure: it has no tokens, certificates or enrollment (start it without --insecure)"));
        }
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static string Truncate(string text) => text.Length <= 63 ? text : text[..63] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created token {TokenId} with role {Role}, asked by {Who}")]
    private static partial void LogCreated(ILogger logger, string tokenId, string role, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked target {Target}: {Certificates} valid certificates, {Tokens} unused tokens, {Streams} live streams ended")]
    private static partial void LogRevokedTarget(ILogger logger, string target, int certificates, int tokens, int streams);
}
