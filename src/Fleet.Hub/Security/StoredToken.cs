namespace Fleet.Hub.Security;

/// <summary>A token as the hub keeps it: the hash of its secret, never the secret.</summary>
internal sealed record StoredToken(
    string Id,
    byte[] SecretHash,
    FleetRole Role,
    string Description,
    string? Target,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    DateTimeOffset? Used,
    DateTimeOffset? Revoked,
    string CreatedBy,
    LabelPolicy? Policy = null)
{
    /// <summary>What the token fixes about the target it enrolls; trusting when it fixes nothing.</summary>
    public LabelPolicy Enrollment => Policy ?? LabelPolicy.Trusting;

    public string Who => Description.Length == 0 ? $"token:{Id}" : $"token:{Id} ({Description})";

    public string State(DateTimeOffset now) =>
        Revoked is not null ? "revoked"
        : Used is not null ? "used"
        : Expires is { } expires && expires <= now ? "expired"
        : "active";

    public bool IsActive(DateTimeOffset now) => State(now) == "active";
}
