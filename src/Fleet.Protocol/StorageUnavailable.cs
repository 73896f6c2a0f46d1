namespace Fleet.Protocol;

/// <summary>
/// How the hub says that its storage (PostgreSQL, the SQLite file) does not answer: gRPC <c>Unavailable</c> with a
/// detail that starts with <see cref="Prefix"/>. Defined once for both ends: the CLI tells this answer of a hub that
/// is there from a hub it cannot reach, and prints it as it is.
/// </summary>
public static class StorageUnavailable
{
    public const string Prefix = "storage unavailable: ";

    /// <summary>
    /// How the hub says that its storage has no room for a change (a full disk): gRPC <c>ResourceExhausted</c> with a
    /// detail that starts with this. Nothing was changed; reads keep working.
    /// </summary>
    public const string FullPrefix = "storage full: ";
}
