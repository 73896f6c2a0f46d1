using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Protocol.Security.V1;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Security;

/// <summary>Enrolls by hand, as an agent would: a fresh key, a CSR, and the certificate the hub signs for it.</summary>
internal static class TestCertificates
{
    public static string Csr(ECDsa key, string commonName)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    public static async Task<X509Certificate2> EnrollAsync(GrpcChannel channel, string token, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await new AgentEnrollment.AgentEnrollmentClient(channel).EnrollAsync(
            new EnrollRequest { Token = token, Name = name, CsrPem = Csr(key, name) },
            cancellationToken: TestContext.Current.CancellationToken);
        using var certificate = X509Certificate2.CreateFromPem(response.CertificatePem);
        return certificate.CopyWithPrivateKey(key);
    }
}
