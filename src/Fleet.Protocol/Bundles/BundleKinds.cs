namespace Fleet.Protocol.Bundles;

/// <summary>The two kinds of <see cref="Bundle.V1.SignedBundle"/>: the kind is signed with the payload, so one never passes as the other.</summary>
public static class BundleKinds
{
    /// <summary>From the hub to a target: a <see cref="Bundle.V1.DesiredBundle"/>, signed with the hub's bundle signing key.</summary>
    public const string Desired = "desired";

    /// <summary>From a target back to the hub: a <see cref="Bundle.V1.ReportBundle"/>, signed with the target's key.</summary>
    public const string Report = "report";
}
