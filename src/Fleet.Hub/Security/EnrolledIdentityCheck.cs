using Fleet.Hub.Targets;
using Grpc.Core;

namespace Fleet.Hub.Security;

/// <summary>
/// Holds an agent's hello to what its target was enrolled with (<see cref="LabelPolicy"/>): the labels
/// the hub uses are the enrolled ones (plus those of allowed keys), never ones the certificate's holder
/// picks. A hello that claims otherwise is refused, logged and audited.
/// </summary>
/// <remarks>
/// Refused rather than accepted with the agent's labels ignored: the agent's --label flags then say one
/// thing and the hub another, and an operator reading the agent's configuration would be misled about
/// what it receives. A refusal is loud where it matters: the agent logs the hub's reason and keeps
/// retrying, the target shows disconnected, the audit log names the claim; the fix (drop or correct
/// the flags) is one line. A hello that repeats the enrolled labels, or sets none, is accepted.
/// </remarks>
internal sealed partial class EnrolledIdentityCheck(ISecurityStore store, SecurityClock clock, ILogger<EnrolledIdentityCheck> logger)
{
    public const string Method = "fleet.agent.v1.AgentGateway/Connect";

    /// <summary>The hello the hub acts on, or why it is refused. An --insecure hub (no certificates) trusts every hello.</summary>
    public async Task<(AgentHello? Hello, string? Problem)> CheckAsync(ServerCallContext context, string name, AgentHello hello)
    {
        if (context.GetHttpContext().Features.Get<Caller>() is not { Kind: CallerKind.Agent } caller)
        {
            return (hello, null);
        }

        var policy = await store.FindTargetPolicy(name);
        if (policy.IsTrusting)
        {
            return (hello, null);
        }

        var (labels, problem) = policy.Decide(hello.Labels, hello.Driver);
        if (problem is not null)
        {
            LogRefused(logger, name, problem);
            await store.AppendAudit(new AuditRecord(0, clock.Now, caller.Who, caller.RoleName, Method, $"target/{name}", "denied", problem.Length <= 500 ? problem : problem[..500] + "…"));
            return (null, problem);
        }

        return (hello with { Labels = labels!.ToDictionary(StringComparer.Ordinal) }, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the hello of target {Target}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string target, string reason);
}
