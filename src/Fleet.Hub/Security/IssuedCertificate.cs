namespace Fleet.Hub.Security;

/// <summary>The record of a client certificate the hub issued to an agent; revocation marks it.</summary>
internal sealed record IssuedCertificate(
    string Serial,
    string Target,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset Issued,
    DateTimeOffset? Revoked);
