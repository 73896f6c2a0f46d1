using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Google.Protobuf;

namespace Fleet.Hub.Security;

/// <summary>
/// The role every gRPC method of the hub needs. A method that is not listed here is refused to
/// everyone (fail closed), and a test enumerates every method of every service so that a new one
/// cannot ship without an entry.
/// </summary>
internal static class MethodPolicies
{
    private const string Admin = "/fleet.admin.v1.FleetAdmin/";
    private const string Security = "/fleet.security.v1.FleetSecurity/";
    private const string Enrollment = "/fleet.security.v1.AgentEnrollment/";

    public static IReadOnlyDictionary<string, MethodPolicy> All { get; } = new Dictionary<string, MethodPolicy>(StringComparer.Ordinal)
    {
        // Reads.
        [Admin + "ListTargets"] = Read(),
        [Admin + "GetTarget"] = Read(),
        [Admin + "ListCapabilities"] = Read(),
        [Admin + "GetCapability"] = Read(),
        [Admin + "DescribeCapability"] = Read(),
        [Admin + "ListRollouts"] = Read(),
        [Admin + "GetRollout"] = Read(),
        // A dry run changes nothing.
        [Admin + "PlanRollout"] = Read(),
        [Admin + "RenderCapability"] = Read(),
        [Admin + "ListInstances"] = Read(),
        [Admin + "GetInstance"] = Read(),

        // Changes to what runs where.
        [Admin + "Apply"] = Change<ApplyRequest, ApplyResponse>(MethodAccess.Operator, (_, response) =>
            response is null || string.IsNullOrEmpty(response.Name) ? "" : $"{Kind(response.Kind)}/{response.Name}"),
        // Every document of one `fleet apply`; a dry run of it needs the same role as the single-document Apply's.
        [Admin + "ApplyAll"] = Change<ApplyAllRequest, ApplyAllResponse>(MethodAccess.Operator, (request, response) =>
            response is null || response.Results.Count == 0 ? $"{request.Documents.Count} document(s)" : Objects(response.Results)),
        [Admin + "Delete"] = Change<DeleteRequest, DeleteResponse>(MethodAccess.Operator, (request, _) => $"{Kind(request.Kind)}/{request.Name}"),
        [Admin + "StartRollout"] = Change<StartRolloutRequest, Fleet.Protocol.Admin.V1.Rollout>(MethodAccess.Operator, (request, response) =>
            $"capability/{request.Capability}" + (response is null ? "" : $" rollout/{response.Id}")),
        [Admin + "PauseRollout"] = Change<GetRequest, IMessage>(MethodAccess.Operator, (request, _) => $"rollout/{request.Name}"),
        [Admin + "ResumeRollout"] = Change<GetRequest, IMessage>(MethodAccess.Operator, (request, _) => $"rollout/{request.Name}"),
        [Admin + "AbortRollout"] = Change<GetRequest, IMessage>(MethodAccess.Operator, (request, _) => $"rollout/{request.Name}"),
        [Admin + "ApproveRollout"] = Change<GetRequest, IMessage>(MethodAccess.Operator, (request, _) => $"rollout/{request.Name}"),
        [Admin + "UndoRollout"] = Change<GetRequest, Fleet.Protocol.Admin.V1.Rollout>(MethodAccess.Operator, (request, response) =>
            $"capability/{request.Name}" + (response is null ? "" : $" rollout/{response.Id}")),

        // Security administration.
        [Security + "CreateToken"] = Change<CreateTokenRequest, CreateTokenResponse>(MethodAccess.Admin, (request, response) =>
            $"token/{response?.Id ?? "?"} role={request.Role}" + (request.Target.Length > 0 ? $" target={request.Target}" : "")),
        [Security + "ListTokens"] = new(MethodAccess.Admin, Mutating: false),
        [Security + "RevokeToken"] = Change<RevokeTokenRequest, RevokeTokenResponse>(MethodAccess.Admin, (request, _) => $"token/{request.Id}"),
        [Security + "RevokeTarget"] = Change<RevokeTargetRequest, RevokeTargetResponse>(MethodAccess.Admin, (request, _) => $"target/{request.Name}"),
        // Who did what is itself sensitive: it names every token and target.
        [Security + "ListAudit"] = new(MethodAccess.Admin, Mutating: false),

        // Agents.
        ["/fleet.agent.v1.AgentGateway/Connect"] = new(MethodAccess.Agent, Mutating: false),
        // A bare echo (the benchmark's transport baseline): bounded payloads, nothing stored or changed.
        ["/fleet.agent.v1.AgentGateway/Echo"] = new(MethodAccess.Agent, Mutating: false),
        [Enrollment + "Enroll"] = Change<EnrollRequest, EnrollResponse>(MethodAccess.Anonymous, (request, _) =>
            $"target/{request.Name} token/{TokenCodec.IdOf(request.Token) ?? "(malformed)"}"),
        [Enrollment + "Renew"] = new(MethodAccess.Agent, Mutating: true),
    };

    public static MethodPolicy? For(string method) => All.GetValueOrDefault(method);

    private static MethodPolicy Read() => new(MethodAccess.Viewer, Mutating: false);

    private static MethodPolicy Change<TRequest, TResponse>(MethodAccess access, Func<TRequest, TResponse?, string> describe)
        where TRequest : class, IMessage
        where TResponse : class, IMessage =>
        new(access, Mutating: true, (request, response) => describe((TRequest)request, response as TResponse));

    /// <summary>The objects one apply stored, the first few by name, so that an audit record stays one short line.</summary>
    private static string Objects(IReadOnlyList<ApplyResponse> results) =>
        string.Join(" ", results.Take(10).Select(r => $"{Kind(r.Kind)}/{r.Name}")) + (results.Count > 10 ? $" and {results.Count - 10} more" : "");

    private static string Kind(string kind) => string.IsNullOrEmpty(kind) ? "object" : kind.ToLowerInvariant();
}
