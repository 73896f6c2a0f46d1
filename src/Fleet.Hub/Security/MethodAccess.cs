namespace Fleet.Hub.Security;

/// <summary>Who may call a gRPC method.</summary>
internal enum MethodAccess
{
    /// <summary>No transport credential: the request itself carries one (enrollment).</summary>
    Anonymous,

    /// <summary>An enrolled agent, by its client certificate.</summary>
    Agent,

    Viewer,
    Operator,
    Admin,
}
