using Fleet.Protocol.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Protocol.Bundle.V1;
using Google.Protobuf;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// Verifies bundle files (the format: protos/fleet/bundle/v1/bundle.proto). Every byte counts: the file must be the
/// canonical encoding of one <see cref="SignedBundle"/>, of the expected kind, with the signer certificate exactly as
/// the signer wrote it, and a signature that verifies over kind and payload with the trusted key. What a file holds
/// never throws: every refusal is a <see cref="BundleResult{T}"/> with a reason.
/// </summary>
public static class BundleVerifier
{
    // Unknown fields are dropped when parsing, so that a file carrying any is not its own canonical encoding.
    private static readonly MessageParser<SignedBundle> Parser = SignedBundle.Parser.WithDiscardUnknownFields(true);

    /// <summary>
    /// A desired bundle for <paramref name="expectedTarget"/>, signed with the key of <paramref name="trustedSigner"/>
    /// (the <c>ca.crt</c> a target was given). The certificate the bundle carries must be that very certificate; the
    /// signature is checked with the trusted certificate's key, never with one the bundle brings. The trusted
    /// certificate's validity dates are not checked: it is the target's trust anchor, and an air-gapped machine's
    /// clock is often wrong. The sequence is the caller's to check (it is state the caller keeps).
    /// </summary>
    public static BundleResult<DesiredBundle> VerifyDesired(ReadOnlySpan<byte> file, X509Certificate2 trustedSigner, string expectedTarget)
    {
        try
        {
            return Desired(file, trustedSigner, expectedTarget);
        }
        catch (CryptographicException e)
        {
            return BundleResult<DesiredBundle>.Refused(Unusable(e));
        }
    }

    /// <summary>
    /// A report bundle, signed with the key of a target certificate that <paramref name="trustedCa"/> issued, valid at
    /// <paramref name="now"/>, and naming the report's target. Whether that target and that report are expected (an
    /// offline target, a report not seen before, a certificate not revoked) is the hub's to check.
    /// </summary>
    public static BundleResult<ReportBundle> VerifyReport(ReadOnlySpan<byte> file, X509Certificate2 trustedCa, DateTimeOffset now)
    {
        try
        {
            return Report(file, trustedCa, now);
        }
        catch (CryptographicException e)
        {
            return BundleResult<ReportBundle>.Refused(Unusable(e));
        }
    }

    // A certificate changed inside its DER can still parse as PEM and then fail deep in the platform's X.509 code.
    private static BundleRefusal Unusable(CryptographicException e) =>
        new(BundleRefusalReason.UntrustedSigner, $"the bundle's signer certificate cannot be checked ({e.Message}): changed, or not a Fleet certificate");

    private static BundleResult<DesiredBundle> Desired(ReadOnlySpan<byte> file, X509Certificate2 trustedSigner, string expectedTarget)
    {
        if (Open(file, BundleKinds.Desired, out var signer) is { } refused)
        {
            return BundleResult<DesiredBundle>.Refused(refused);
        }

        var (signed, carried) = signer!.Value;
        using (carried)
        {
            if (!carried.RawDataMemory.Span.SequenceEqual(trustedSigner.RawDataMemory.Span))
            {
                return BundleResult<DesiredBundle>.Refused(BundleRefusalReason.UntrustedSigner,
                    $"the bundle is signed by {carried.Subject} (SHA-256 {carried.GetCertHashString(HashAlgorithmName.SHA256)}), not by the trusted signer {trustedSigner.Subject} (SHA-256 {trustedSigner.GetCertHashString(HashAlgorithmName.SHA256)}): it comes from another hub");
            }
        }

        if (CheckSignature(signed, trustedSigner) is { } bad)
        {
            return BundleResult<DesiredBundle>.Refused(bad);
        }

        DesiredBundle bundle;
        try
        {
            bundle = DesiredBundle.Parser.ParseFrom(signed.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            return BundleResult<DesiredBundle>.Refused(BundleRefusalReason.Malformed, $"the signed payload is not a desired bundle ({e.Message})");
        }

        if (bundle.Desired is null)
        {
            return BundleResult<DesiredBundle>.Refused(BundleRefusalReason.Malformed, "the desired bundle carries no desired set");
        }

        if (bundle.Target != expectedTarget)
        {
            return BundleResult<DesiredBundle>.Refused(BundleRefusalReason.WrongTarget, $"the bundle is for target '{bundle.Target}', not '{expectedTarget}'");
        }

        return BundleResult<DesiredBundle>.Accepted(bundle, CertificateChains.Serial(trustedSigner));
    }

    private static BundleResult<ReportBundle> Report(ReadOnlySpan<byte> file, X509Certificate2 trustedCa, DateTimeOffset now)
    {
        if (Open(file, BundleKinds.Report, out var signer) is { } refused)
        {
            return BundleResult<ReportBundle>.Refused(refused);
        }

        var (signed, certificate) = signer!.Value;
        using (certificate)
        {
            var owner = TargetCertificates.Target(certificate);
            if (!TargetCertificates.IsIssuedBy(certificate, trustedCa, now))
            {
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                return BundleResult<ReportBundle>.Refused(BundleRefusalReason.UntrustedSigner, now < notBefore || now > notAfter
                    ? $"the report's certificate (target '{owner}', serial {CertificateChains.Serial(certificate)}) is valid from {notBefore:u} to {notAfter:u}, not now ({now.UtcDateTime:u})"
                    : $"the report's certificate (target '{owner}', issuer {certificate.Issuer}) is not a target certificate issued by this hub's CA");
            }

            if (CheckSignature(signed, certificate) is { } bad)
            {
                return BundleResult<ReportBundle>.Refused(bad);
            }

            ReportBundle bundle;
            try
            {
                bundle = ReportBundle.Parser.ParseFrom(signed.Payload);
            }
            catch (InvalidProtocolBufferException e)
            {
                return BundleResult<ReportBundle>.Refused(BundleRefusalReason.Malformed, $"the signed payload is not a report bundle ({e.Message})");
            }

            if (bundle.Target != owner)
            {
                return BundleResult<ReportBundle>.Refused(BundleRefusalReason.WrongTarget, $"the report is for target '{bundle.Target}' but signed with the certificate of target '{owner}'");
            }

            if (bundle.ReportId.Length == 0)
            {
                return BundleResult<ReportBundle>.Refused(BundleRefusalReason.Malformed, "the report bundle has no report id");
            }

            return BundleResult<ReportBundle>.Accepted(bundle, CertificateChains.Serial(certificate));
        }
    }

    /// <summary>Parses the envelope and its signer certificate; null when both are what a signer writes, else the refusal.</summary>
    private static BundleRefusal? Open(ReadOnlySpan<byte> file, string kind, out (SignedBundle Signed, X509Certificate2 Certificate)? opened)
    {
        opened = null;
        if (file.Length > BundleLimits.MaxBundleBytes)
        {
            return new BundleRefusal(BundleRefusalReason.TooLarge, $"the file has {file.Length} bytes; a bundle has at most {BundleLimits.MaxBundleBytes}");
        }

        SignedBundle signed;
        try
        {
            signed = Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException e)
        {
            return new BundleRefusal(BundleRefusalReason.Malformed, $"not a Fleet bundle ({e.Message})");
        }

        if (signed.CalculateSize() != file.Length || !signed.ToByteArray().AsSpan().SequenceEqual(file))
        {
            return new BundleRefusal(BundleRefusalReason.Malformed, "not a Fleet bundle: the file is not exactly a signed bundle as Fleet writes it (changed, or something added)");
        }

        if (signed.Kind != kind)
        {
            return new BundleRefusal(BundleRefusalReason.WrongKind, signed.Kind is BundleKinds.Desired or BundleKinds.Report
                ? $"this is a {signed.Kind} bundle, not a {kind} bundle"
                : $"the bundle's kind '{Printable(signed.Kind)}' is not '{kind}'");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(signed.SignerCertificatePem);
        }
        catch (CryptographicException e)
        {
            return new BundleRefusal(BundleRefusalReason.Malformed, $"the bundle's signer certificate is not a PEM certificate ({e.Message})");
        }

        // Only the exact PEM the signer wrote: text around or inside it that a PEM reader skips would be an unchecked byte.
        if (certificate.ExportCertificatePem() != signed.SignerCertificatePem)
        {
            certificate.Dispose();
            return new BundleRefusal(BundleRefusalReason.Malformed, "the bundle's signer certificate is not the PEM Fleet writes (changed?)");
        }

        opened = (signed, certificate);
        return null;
    }

    private static BundleRefusal? CheckSignature(SignedBundle signed, X509Certificate2 signer)
    {
        using var key = signer.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            return new BundleRefusal(BundleRefusalReason.UntrustedSigner, $"the signer certificate {signer.Subject} has no ECDSA P-256 key");
        }

        return BundleSignature.Verify(key, signed.Kind, signed.Payload, signed.Signature)
            ? null
            : new BundleRefusal(BundleRefusalReason.BadSignature, "the signature does not verify: the bundle was changed after it was signed, or signed with another key");
    }

    private static string Printable(string text)
    {
        var shown = new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 40 ? shown + "…" : shown;
    }
}
