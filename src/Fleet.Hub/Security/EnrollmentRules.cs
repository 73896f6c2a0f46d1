namespace Fleet.Hub.Security;

/// <summary>
/// Whether an agent token may enroll a target, decided the same way by every storage backend; each
/// backend only makes the check and the spending of the token one atomic step.
/// </summary>
internal static class EnrollmentRules
{
    /// <param name="token">The stored token with the presented id, or null when there is none.</param>
    /// <param name="hash">The hash of the presented secret.</param>
    /// <param name="target">The target the certificate is for.</param>
    /// <param name="now">The security clock's time.</param>
    /// <param name="targetHasValidCertificate">Whether the target holds an unrevoked, unexpired certificate.</param>
    public static EnrollmentRefusal Check(StoredToken? token, byte[] hash, string target, DateTimeOffset now, bool targetHasValidCertificate) =>
        token switch
        {
            null => EnrollmentRefusal.UnknownToken,
            _ when !TokenCodec.Matches(token.SecretHash, hash) => EnrollmentRefusal.UnknownToken,
            { Role: not FleetRole.Agent } => EnrollmentRefusal.WrongRole,
            { Revoked: not null } => EnrollmentRefusal.Revoked,
            { Used: not null } => EnrollmentRefusal.Used,
            { Expires: { } expires } when expires <= now => EnrollmentRefusal.Expired,
            { Target: { } bound } when bound != target => EnrollmentRefusal.OtherTarget,
            // A token not made for this target must not take over one that is enrolled and alive:
            // that would hand its desired state to whoever holds any agent token.
            { Target: null } when targetHasValidCertificate => EnrollmentRefusal.AlreadyEnrolled,
            _ => EnrollmentRefusal.None,
        };
}
