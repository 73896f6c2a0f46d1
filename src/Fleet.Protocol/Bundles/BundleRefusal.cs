namespace Fleet.Protocol.Bundles;

/// <summary>A refused bundle: what kind of refusal, and a message for a person (one line, no stack trace).</summary>
public sealed record BundleRefusal(BundleRefusalReason Reason, string Message)
{
    public override string ToString() => Message;
}
