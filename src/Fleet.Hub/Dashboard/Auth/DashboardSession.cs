namespace Fleet.Hub.Dashboard.Auth;

/// <summary>
/// One browser's login, kept on the server: the cookie holds only a random id. The token stays here, in memory, so
/// that every page the session opens calls the admin API as that token's principal, and so that the token is checked
/// again on every request, and its role then is what counts (a revoked or expired token ends the session at once).
/// </summary>
internal sealed class DashboardSession(string token, string csrf, DateTimeOffset created)
{
    /// <summary>The operator token; empty on an --insecure hub, which has none.</summary>
    public string Token { get; } = token;

    /// <summary>What every form of this session repeats in a hidden field; another site can neither read nor guess it.</summary>
    public string Csrf { get; } = csrf;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset LastSeen { get; set; } = created;
}
