namespace Fleet.Hub.Security;

/// <summary>
/// The one check of a presented operator token: shaped like a fleet token, a stored id whose hash matches
/// (constant time), not an agent's, not expired or revoked. The gRPC endpoints run it on every call's bearer
/// token (<see cref="CallerResolutionMiddleware"/>) and the dashboard on every request of a logged-in session,
/// so both refuse exactly the same tokens. Logs name the token's public id only, never any part of the secret.
/// </summary>
internal sealed partial class OperatorTokenCheck(ISecurityStore store, SecurityClock clock, ILogger<OperatorTokenCheck> logger)
{
    /// <returns>An operator caller, or an anonymous one whose <see cref="Caller.Problem"/> says why not.</returns>
    public async Task<Caller> Resolve(string presented, string remote)
    {
        if (TokenCodec.Parse(presented.Trim()) is not { } parsed)
        {
            LogMalformedToken(logger, remote);
            return Caller.Anonymous(remote, "the token is not a fleet token");
        }

        var token = await store.FindToken(parsed.Id);
        var now = clock.Now;
        if (token is null || !TokenCodec.Matches(token.SecretHash, parsed.Hash))
        {
            LogUnknownToken(logger, parsed.Id, remote);
            return Caller.Anonymous(remote, "the token is not valid");
        }

        if (token.Role == FleetRole.Agent)
        {
            return Caller.Anonymous(remote, "an agent token only enrolls an agent; operators need a viewer, operator or admin token");
        }

        if (!token.IsActive(now))
        {
            LogInactiveToken(logger, token.Id, token.State(now), remote);
            return Caller.Anonymous(remote, $"the token is {token.State(now)}");
        }

        return Caller.Operator(token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a malformed bearer token from {Remote}")]
    private static partial void LogMalformedToken(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused token {TokenId} from {Remote}: unknown id or wrong secret")]
    private static partial void LogUnknownToken(ILogger logger, string tokenId, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused token {TokenId} from {Remote}: {State}")]
    private static partial void LogInactiveToken(ILogger logger, string tokenId, string state, string remote);
}
