using System.Diagnostics.CodeAnalysis;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// A verified bundle's content, or why it was refused: verification never throws for what a file holds, so every
/// caller prints a refusal the same way and changes nothing.
/// </summary>
public sealed class BundleResult<T>
    where T : class
{
    private BundleResult(T? bundle, string? signerSerial, BundleRefusal? refusal)
    {
        Bundle = bundle;
        SignerSerial = signerSerial;
        Refusal = refusal;
    }

    /// <summary>The verified content; null when refused.</summary>
    public T? Bundle { get; }

    /// <summary>The serial number of the certificate whose key verified the signature (upper-case hex, as openssl shows it); null when refused.</summary>
    public string? SignerSerial { get; }

    public BundleRefusal? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Bundle), nameof(SignerSerial))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Refusal is null;

    public static BundleResult<T> Accepted(T bundle, string signerSerial) => new(bundle, signerSerial, null);

    public static BundleResult<T> Refused(BundleRefusalReason reason, string message) => new(null, null, new BundleRefusal(reason, message));

    public static BundleResult<T> Refused(BundleRefusal refusal) => new(null, null, refusal);
}
