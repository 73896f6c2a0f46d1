using System.Security.Cryptography.X509Certificates;
using Fleet.Protocol.Bundle.V1;
using Google.Protobuf;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// Signs bundles (the format: protos/fleet/bundle/v1/bundle.proto). The file is <c>SignedBundle.ToByteArray()</c>.
/// The signer passes its certificate with its private key; a certificate without an ECDSA P-256 key is a programming
/// error here (the hub and the agent make only such keys), not an input to refuse.
/// </summary>
public static class BundleSigner
{
    /// <summary>A desired bundle, signed with the hub's bundle signing key (the CA's, or an --insecure hub's own).</summary>
    public static SignedBundle SignDesired(DesiredBundle bundle, X509Certificate2 signer) => Sign(BundleKinds.Desired, bundle, signer);

    /// <summary>A report bundle, signed with the target's key; its certificate must name the report's target.</summary>
    public static SignedBundle SignReport(ReportBundle bundle, X509Certificate2 target)
    {
        if (TargetCertificates.Target(target) != bundle.Target)
        {
            throw new ArgumentException($"the certificate is target {TargetCertificates.Target(target)}'s, the report is for {bundle.Target}", nameof(target));
        }

        return Sign(BundleKinds.Report, bundle, target);
    }

    private static SignedBundle Sign(string kind, IMessage bundle, X509Certificate2 signer)
    {
        using var key = signer.GetECDsaPrivateKey()
            ?? throw new ArgumentException($"the certificate {signer.Subject} has no ECDSA private key", nameof(signer));
        if (key.KeySize != 256)
        {
            throw new ArgumentException($"the key of {signer.Subject} is not P-256", nameof(signer));
        }

        var payload = bundle.ToByteString();
        return new SignedBundle
        {
            Kind = kind,
            Payload = payload,
            Signature = ByteString.CopyFrom(BundleSignature.Sign(key, kind, payload)),
            SignerCertificatePem = signer.ExportCertificatePem(),
        };
    }
}
