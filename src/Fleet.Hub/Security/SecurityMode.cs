namespace Fleet.Hub.Security;

/// <summary>Whether this hub runs with --insecure (plaintext, no authentication).</summary>
internal sealed record SecurityMode(bool Insecure);
