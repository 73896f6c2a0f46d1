namespace Fleet.Protocol.Bundles;

/// <summary>Why a bundle was refused, for callers that act on the kind of refusal (the hub audits forgeries and replays).</summary>
public enum BundleRefusalReason
{
    /// <summary>The file could not be read (missing, a directory, no permission).</summary>
    Unreadable,

    /// <summary>The file is larger than <see cref="BundleLimits.MaxBundleBytes"/>.</summary>
    TooLarge,

    /// <summary>Not a bundle of this format: not a protobuf SignedBundle, not its canonical encoding, or a payload that does not parse.</summary>
    Malformed,

    /// <summary>A bundle of the other kind (a report given where a desired bundle is expected, or the reverse).</summary>
    WrongKind,

    /// <summary>The signature does not verify with the trusted key: the bundle was changed, or signed by someone else.</summary>
    BadSignature,

    /// <summary>The signer's certificate is not the trusted one, or does not chain to the trusted CA, or is not valid now.</summary>
    UntrustedSigner,

    /// <summary>The bundle is for another target than the one checking it, or its certificate names another target.</summary>
    WrongTarget,

    /// <summary>The bundle is not newer than one already taken: an older bundle, or the same one again.</summary>
    NotNewer,
}
