namespace Fleet.Hub.Rollouts;

/// <summary>
/// What a rollout delivers belongs to a capability (key "capability") or to an instance of one (key
/// "capability/instance"); either is told when its rollout ends. See <see cref="DeliveryKeys"/>.
/// </summary>
[Alias("Fleet.Hub.Rollouts.IRolloutOwner")]
public interface IRolloutOwner : IGrain
{
    /// <summary>
    /// A rollout reached a terminal phase; <paramref name="stableRevision"/> is what the fleet now runs
    /// (0: unchanged). One-way: the rollout must not wait on its owner.
    /// </summary>
    [Alias("OnRolloutFinished"), OneWay]
    Task OnRolloutFinished(string rolloutId, string phase, long stableRevision);
}
