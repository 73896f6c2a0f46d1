namespace Fleet.Hub.Security;

/// <summary>
/// A cluster's CA as its database keeps it: the certificate (PEM), its private key (PEM) when a hub
/// generated the CA, none when it is the operator's (--ca-cert/--ca-key, whose key is never stored), and
/// the certificate's SHA-256 fingerprint (<see cref="CertificateChains.Fingerprint"/>).
/// </summary>
internal sealed record StoredCa(string CertificatePem, string? KeyPem, string Fingerprint);
