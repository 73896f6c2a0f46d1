using Orleans.Configuration;

namespace Fleet.Hub.Clustering;

/// <summary>
/// How fast a hub node notices that another died. Agents of a dead node reconnect to a living one
/// at once, but its grains (targets, rollouts) only move once it is declared dead, so detection time
/// is how long their rollouts and pushes stall.
/// </summary>
/// <remarks>
/// Measured here (DESIGN.md): with Orleans' defaults a SIGKILLed node is dead after 5–7.5 s and a
/// hung one after ~61 s; with a 2 s probe timeout capped at 3 s, 2.4 s and 9.2 s. The risk is a
/// false death: a node that pauses longer than the cap (a long GC, CPU throttling at its limit) is
/// voted dead by two peers, must restart its silo and its agents reconnect elsewhere — disruptive,
/// never a loss, since every acknowledged change is in PostgreSQL. The membership table is re-read
/// every 10 s (default 60 s) so a node that missed a gossip message still learns of a death soon.
/// Each node writes its I-am-alive time every 5 s (default 30 s): after a stop of every node at once
/// nobody is left to declare the old nodes dead, and a starting node waits for their rows to go stale
/// (three missed writes) before it can join — 15 s instead of 90 s. One tiny UPDATE per node per 5 s.
/// </remarks>
internal static class FailureDetection
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan TableRefresh = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan IAmAlivePublish = TimeSpan.FromSeconds(5);

    public static void Apply(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.MaxProbeTimeout = MaxProbeTimeout;
        membership.TableRefreshTimeout = TableRefresh;
        membership.IAmAliveTablePublishTimeout = IAmAlivePublish;
        // A row per dead incarnation is kept for a day (default 7) so the table stays small on restarts.
        membership.DefunctSiloExpiration = TimeSpan.FromDays(1);
    }
}
