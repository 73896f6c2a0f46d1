namespace Fleet.Hub.Security;

internal enum CallerKind
{
    /// <summary>No valid credential (or a refused one: see <see cref="Caller.Problem"/>).</summary>
    Anonymous,

    /// <summary>A hub started with --insecure: no authentication, everything allowed.</summary>
    Insecure,

    /// <summary>A valid operator token.</summary>
    Operator,

    /// <summary>A client certificate this hub issued and has not revoked.</summary>
    Agent,
}
