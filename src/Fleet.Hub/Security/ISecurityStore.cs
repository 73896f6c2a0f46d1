namespace Fleet.Hub.Security;

/// <summary>
/// The security state of the hub: tokens (hashed secrets only), the agent certificates it issued
/// (revocation marks them) and the audit log. One implementation per storage backend, chosen with
/// <c>--storage</c>; every write is durable before its task completes, because a call is answered
/// only after it (a revoked token must stay revoked, an audited change must stay audited).
/// </summary>
internal interface ISecurityStore
{
    Task InsertToken(StoredToken token);

    Task<StoredToken?> FindToken(string id);

    /// <summary>Every token, oldest first.</summary>
    Task<IReadOnlyList<StoredToken>> ListTokens();

    /// <summary>False when there is no such token or it was already revoked.</summary>
    Task<bool> RevokeToken(string id, DateTimeOffset now);

    /// <summary>Revokes every admin token (break-glass reset of admin access from the data directory).</summary>
    Task<int> RevokeAdminTokens(DateTimeOffset now);

    Task<bool> HasUsableAdminToken(DateTimeOffset now);

    /// <summary>
    /// Spends an agent token on one certificate atomically: the token is checked
    /// (<see cref="EnrollmentRules.Check"/>) and marked used, and the certificate recorded, or nothing
    /// happens. Of two enrollments racing with one token, or with two unbound tokens for one target,
    /// at most one wins. The token's <see cref="LabelPolicy"/> becomes the target's, in the same transaction.
    /// </summary>
    Task<EnrollmentRefusal> ConsumeEnrollmentToken(string id, byte[] hash, IssuedCertificate certificate, DateTimeOffset now);

    /// <summary>
    /// What the target's enrollment fixed (<see cref="LabelPolicy"/>), copied from its token by
    /// <see cref="ConsumeEnrollmentToken"/>; trusting when it fixed nothing (or the target never enrolled).
    /// </summary>
    Task<LabelPolicy> FindTargetPolicy(string target);

    Task InsertCertificate(IssuedCertificate certificate);

    Task<IssuedCertificate?> FindCertificate(string serial);

    /// <summary>Revokes every certificate of the target and every unused token bound to it; counts the certificates still valid and the tokens.</summary>
    Task<(int Certificates, int Tokens)> RevokeTarget(string target, DateTimeOffset now);

    /// <summary>Appends an audit record durably and returns its sequence number.</summary>
    Task<long> AppendAudit(AuditRecord record);

    /// <summary>Records how a call that was audited before it ran ended; an empty <paramref name="object"/> keeps the recorded one.</summary>
    Task CompleteAudit(long sequence, string outcome, string @object, string detail);

    /// <summary>The newest <paramref name="limit"/> records at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAudit(DateTimeOffset? since, int limit);
}
