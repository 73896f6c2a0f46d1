namespace Fleet.Hub.Security;

/// <summary>Why an enrollment was refused. The agent only ever learns "invalid token" or "already enrolled".</summary>
internal enum EnrollmentRefusal
{
    None,
    UnknownToken,
    WrongRole,
    Used,
    Expired,
    Revoked,
    OtherTarget,
    AlreadyEnrolled,
}
