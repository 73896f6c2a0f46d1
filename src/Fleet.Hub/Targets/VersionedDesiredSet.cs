namespace Fleet.Hub.Targets;

/// <summary>
/// A serialized <c>fleet.agent.v1.DesiredSet</c> with the version of the target state it was built
/// from (the grain state's etag, which every write increments). During a membership change two
/// activations of one target can briefly coexist, and only the newer one can write; the stream
/// sends a desired set only if it is not older than the last it sent, so a stale activation can
/// never take an agent back.
/// </summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.VersionedDesiredSet")]
public sealed record VersionedDesiredSet([property: Id(0)] long Version, [property: Id(1)] byte[] Bytes);
