using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// The one definition of what a bundle signature covers and how it is made: ECDSA P-256 / SHA-256 in IEEE P1363 form
/// over <c>"fleet-bundle-v1\n" + kind + "\n" + payload</c>. The prefix separates this use of a key from any other (the
/// hub CA's key also signs certificates; a target's key also authenticates TLS), the kind separates a report from a
/// desired bundle.
/// </summary>
internal static class BundleSignature
{
    public const string Domain = "fleet-bundle-v1";

    private const DSASignatureFormat Format = DSASignatureFormat.IeeeP1363FixedFieldConcatenation;

    public static byte[] Sign(ECDsa key, string kind, ByteString payload) =>
        key.SignData(Message(kind, payload), HashAlgorithmName.SHA256, Format);

    public static bool Verify(ECDsa key, string kind, ByteString payload, ByteString signature) =>
        key.KeySize == 256 && key.VerifyData(Message(kind, payload), signature.Span, HashAlgorithmName.SHA256, Format);

    private static byte[] Message(string kind, ByteString payload)
    {
        var head = Encoding.UTF8.GetBytes($"{Domain}\n{kind}\n");
        var message = new byte[head.Length + payload.Length];
        head.CopyTo(message, 0);
        payload.Span.CopyTo(message.AsSpan(head.Length));
        return message;
    }
}
