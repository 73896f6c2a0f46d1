using System.Diagnostics;

namespace Fleet.Hub.Observability;

/// <summary>
/// The hub's own spans (source <see cref="SourceName"/>), nested under the gRPC call that caused them: what was applied
/// and what it started, and each step of a rollout that hands targets a revision.
/// </summary>
internal static class FleetActivity
{
    public const string SourceName = "Fleet.Hub";

    public static readonly ActivitySource Source = new(SourceName);
}
