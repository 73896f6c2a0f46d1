using Fleet.Protocol.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fleet.Hub.Security;
using Fleet.Protocol;
using Fleet.Protocol.Bundle.V1;
using Fleet.Protocol.Bundles;
using Google.Protobuf;

namespace Fleet.Agent.Tests.Bundles;

/// <summary>
/// The bundle library (src/Fleet.Protocol/Bundles) with a hub CA and target certificates made by the hub's own
/// certificate code: what is signed verifies, and anything changed, of the wrong kind, from another key, another CA or
/// another target is refused with a reason, never an exception.
/// </summary>
public sealed class BundleVerifierTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly TestPki _otherHub = new("another hub's CA");

    public void Dispose()
    {
        _pki.Dispose();
        _otherHub.Dispose();
    }

    [Fact]
    public void VerifyDesired_SignedByTheTrustedSigner_GivesTheBundleBack()
    {
        var bundle = TestBundles.Desired("edge-1", 7);
        var file = BundleSigner.SignDesired(bundle, _pki.Ca).ToByteArray();

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(file, trusted, "edge-1");

        Assert.True(result.IsAccepted, result.Refusal?.Message);
        Assert.Equal(bundle, result.Bundle);
        Assert.Equal(CertificateChains.Serial(trusted), result.SignerSerial);
    }

    [Fact]
    public void VerifyDesired_OneByteChangedAnywhere_IsRefused()
    {
        var file = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _pki.Ca).ToByteArray();
        using var trusted = _pki.CaCertificate;

        // Every position: the kind, the payload, the signature, the certificate and the framing between them.
        for (var i = 0; i < file.Length; i++)
        {
            var changed = (byte[])file.Clone();
            changed[i] ^= 0x01;

            var result = BundleVerifier.VerifyDesired(changed, trusted, "edge-1");

            Assert.False(result.IsAccepted, $"byte {i} of {file.Length} changed, yet the bundle was accepted");
        }
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("signature")]
    [InlineData("kind")]
    public void VerifyDesired_FieldChanged_IsRefusedForThatReason(string field)
    {
        var signed = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _pki.Ca);
        var expected = BundleRefusalReason.BadSignature;
        switch (field)
        {
            case "payload":
                signed.Payload = TestBundles.Desired("edge-1", 8).ToByteString();
                break;
            case "signature":
                var signature = signed.Signature.ToByteArray();
                signature[^1] ^= 0x80;
                signed.Signature = ByteString.CopyFrom(signature);
                break;
            default:
                signed.Kind = "Desired";
                expected = BundleRefusalReason.WrongKind;
                break;
        }

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(signed.ToByteArray(), trusted, "edge-1");

        Assert.Equal(expected, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyDesired_AReportBundle_IsRefusedAsTheWrongKind()
    {
        using var target = _pki.Target("edge-1");
        var file = BundleSigner.SignReport(TestBundles.Report("edge-1", 7), target).ToByteArray();

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(file, trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.WrongKind, result.Refusal?.Reason);
        Assert.Contains("report bundle, not a desired bundle", result.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDesired_ReportRelabelledAsDesired_DoesNotVerifyEvenWithTheSignersKey()
    {
        // The kind is signed: a report's signature never passes for a desired bundle's, whoever is trusted.
        using var target = _pki.Target("edge-1");
        var signed = BundleSigner.SignReport(TestBundles.Report("edge-1", 7), target);
        signed.Kind = BundleKinds.Desired;

        using var targetCertificate = X509CertificateLoader.LoadCertificate(target.RawData);
        var result = BundleVerifier.VerifyDesired(signed.ToByteArray(), targetCertificate, "edge-1");

        Assert.Equal(BundleRefusalReason.BadSignature, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyDesired_SignedByAnotherHub_IsRefusedAsUntrusted()
    {
        var file = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _otherHub.Ca).ToByteArray();

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(file, trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.UntrustedSigner, result.Refusal?.Reason);
        Assert.Contains("another hub", result.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDesired_AnotherKeyCarryingTheTrustedCertificate_IsRefused()
    {
        // Signed with another hub's key but presenting this hub's certificate: the trusted key decides, not the claim.
        var signed = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _otherHub.Ca);
        signed.SignerCertificatePem = _pki.Ca.ExportCertificatePem();

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(signed.ToByteArray(), trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.BadSignature, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyDesired_ForAnotherTarget_IsRefused()
    {
        var file = BundleSigner.SignDesired(TestBundles.Desired("edge-2", 7), _pki.Ca).ToByteArray();

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(file, trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.WrongTarget, result.Refusal?.Reason);
        Assert.Equal("the bundle is for target 'edge-2', not 'edge-1'", result.Refusal!.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a bundle at all\n")]
    public void VerifyDesired_NotABundle_IsRefusedAsMalformed(string content)
    {
        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(Encoding.UTF8.GetBytes(content), trusted, "edge-1");

        Assert.Contains(result.Refusal?.Reason, new BundleRefusalReason?[] { BundleRefusalReason.Malformed, BundleRefusalReason.WrongKind });
    }

    [Fact]
    public void VerifyDesired_UnknownFieldAppended_IsRefused()
    {
        var signed = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _pki.Ca);
        // Field 15, length-delimited, three bytes: a parser skips it, so only the canonical check sees it.
        byte[] file = [.. signed.ToByteArray(), 0x7A, 0x03, 0x61, 0x62, 0x63];

        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(file, trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.Malformed, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyDesired_LargerThanTheLimit_IsRefusedUnparsed()
    {
        using var trusted = _pki.CaCertificate;
        var result = BundleVerifier.VerifyDesired(new byte[BundleLimits.MaxBundleBytes + 1], trusted, "edge-1");

        Assert.Equal(BundleRefusalReason.TooLarge, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyReport_SignedByTheTargetsIssuedCertificate_GivesTheReportBack()
    {
        using var target = _pki.Target("edge-1");
        var bundle = TestBundles.Report("edge-1", 7);
        var file = BundleSigner.SignReport(bundle, target).ToByteArray();

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(file, ca, TestPki.Now);

        Assert.True(result.IsAccepted, result.Refusal?.Message);
        Assert.Equal(bundle, result.Bundle);
        Assert.Equal(CertificateChains.Serial(target), result.SignerSerial);
    }

    [Fact]
    public void VerifyReport_OneByteChangedAnywhere_IsRefused()
    {
        using var target = _pki.Target("edge-1");
        var file = BundleSigner.SignReport(TestBundles.Report("edge-1", 7), target).ToByteArray();
        using var ca = _pki.CaCertificate;

        for (var i = 0; i < file.Length; i++)
        {
            var changed = (byte[])file.Clone();
            changed[i] ^= 0x01;

            var result = BundleVerifier.VerifyReport(changed, ca, TestPki.Now);

            Assert.False(result.IsAccepted, $"byte {i} of {file.Length} changed, yet the report was accepted");
        }
    }

    [Fact]
    public void VerifyReport_NamingAnotherTargetThanItsCertificate_IsRefused()
    {
        // edge-2's key signs a report that claims to be edge-1's (made by hand: the signer refuses to).
        using var other = _pki.Target("edge-2");
        var payload = TestBundles.Report("edge-1", 7).ToByteString();
        using var key = other.GetECDsaPrivateKey()!;
        var signed = new SignedBundle
        {
            Kind = BundleKinds.Report,
            Payload = payload,
            Signature = ByteString.CopyFrom(key.SignData([.. "fleet-bundle-v1\nreport\n"u8, .. payload.Span], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            SignerCertificatePem = other.ExportCertificatePem(),
        };

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(signed.ToByteArray(), ca, TestPki.Now);

        Assert.Equal(BundleRefusalReason.WrongTarget, result.Refusal?.Reason);
        Assert.Equal("the report is for target 'edge-1' but signed with the certificate of target 'edge-2'", result.Refusal!.Message);
    }

    [Fact]
    public void VerifyReport_TargetOfAnotherCa_IsRefusedAsUntrusted()
    {
        using var foreign = _otherHub.Target("edge-1");
        var file = BundleSigner.SignReport(TestBundles.Report("edge-1", 7), foreign).ToByteArray();

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(file, ca, TestPki.Now);

        Assert.Equal(BundleRefusalReason.UntrustedSigner, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyReport_CertificateExpired_IsRefusedAsUntrusted()
    {
        using var target = _pki.Target("edge-1", lifetime: TimeSpan.FromDays(1));
        var file = BundleSigner.SignReport(TestBundles.Report("edge-1", 7), target).ToByteArray();

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(file, ca, TestPki.Now + TimeSpan.FromDays(2));

        Assert.Equal(BundleRefusalReason.UntrustedSigner, result.Refusal?.Reason);
        Assert.Contains("not now", result.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyReport_SignedWithTheHubsServingCertificate_IsRefused()
    {
        // Issued by the same CA, but for serving TLS, not a target's: it names no target.
        using var serving = CertificateFactory.CreateServing(_pki.Ca, ["localhost"], [], TestPki.Now, TimeSpan.FromDays(30));
        var file = BundleSigner.SignReport(TestBundles.Report("fleet-hub", 7), serving).ToByteArray();

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(file, ca, TestPki.Now);

        Assert.Equal(BundleRefusalReason.UntrustedSigner, result.Refusal?.Reason);
    }

    [Fact]
    public void VerifyReport_ADesiredBundle_IsRefusedAsTheWrongKind()
    {
        var file = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _pki.Ca).ToByteArray();

        using var ca = _pki.CaCertificate;
        var result = BundleVerifier.VerifyReport(file, ca, TestPki.Now);

        Assert.Equal(BundleRefusalReason.WrongKind, result.Refusal?.Reason);
    }

    [Fact]
    public void TryRead_FileLargerThanTheLimit_IsRefusedWithoutReadingIt()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "huge.bundle");
        using (var file = File.Create(path))
        {
            // Sparse: the size is there, the bytes are not, so refusing before reading is what keeps this test fast.
            file.SetLength(BundleLimits.MaxBundleBytes + 1L);
        }

        var refusal = BundleFile.TryRead(path, out var content);

        Assert.Equal(BundleRefusalReason.TooLarge, refusal?.Reason);
        Assert.Empty(content);
    }

    [Fact]
    public void TryRead_MissingFileOrDirectory_IsRefusedAsUnreadable()
    {
        using var dir = new TempDirectory();

        Assert.Equal(BundleRefusalReason.Unreadable, BundleFile.TryRead(Path.Combine(dir.Path, "absent"), out _)?.Reason);
        Assert.Equal(BundleRefusalReason.Unreadable, BundleFile.TryRead(dir.Path, out _)?.Reason);
    }

    [Fact]
    public void TryRead_ABundle_GivesItsBytes()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "edge-1.bundle");
        var bytes = BundleSigner.SignDesired(TestBundles.Desired("edge-1", 7), _pki.Ca).ToByteArray();
        File.WriteAllBytes(path, bytes);

        Assert.Null(BundleFile.TryRead(path, out var content));
        Assert.Equal(bytes, content);
    }
}
