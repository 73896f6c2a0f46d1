namespace Fleet.Benchmarks;

/// <summary>
/// What the benchmark writes (SPEC §6), camelCase in JSON. The first fields are the contract; the rest
/// (after <see cref="ResyncSeconds"/>) explain them. docs/benchmarks.md says what each one times.
/// </summary>
internal sealed record BenchmarkResult
{
    public required int Targets { get; init; }

    public required double ConnectSeconds { get; init; }

    public required double RolloutSeconds { get; init; }

    public required double RolloutTargetsPerSecond { get; init; }

    public required double RawRoundTripsPerSecond { get; init; }

    public required double Ratio { get; init; }

    public required LatencyFigures LatencyMs { get; init; }

    public required long HubRssBytes { get; init; }

    public required long HubRssBytesPerTarget { get; init; }

    public required double ResyncSeconds { get; init; }

    // Context and cross-checks.
    public required double RolloutSucceededSeconds { get; init; }

    public required double WarmUpRolloutSeconds { get; init; }

    public required double ConnectAgentsSeconds { get; init; }

    public required LatencyFigures LatencyAfterApplyReturnedMs { get; init; }

    public required int LatencySamples { get; init; }

    /// <summary>Every latency sample (ms, from the Apply call), in the order taken.</summary>
    public required IReadOnlyList<double> LatencySamplesMs { get; init; }

    public required long HubRssIdleBytes { get; init; }

    public required double HubCpuSecondsDuringRollout { get; init; }

    public required double BenchmarkCpuSecondsDuringRollout { get; init; }

    public required long HubWrittenBytesDuringRollout { get; init; }

    public required IReadOnlyDictionary<string, long> StateWritesDuringConnect { get; init; }

    public required long HubWrittenBytesDuringConnect { get; init; }

    public required double HubCpuSecondsDuringConnect { get; init; }

    public required IReadOnlyDictionary<string, long> StateWritesDuringWarmUp { get; init; }

    public required long HubWrittenBytesDuringWarmUp { get; init; }

    public required double HubCpuSecondsDuringWarmUp { get; init; }

    public required double HubCpuSecondsDuringEcho { get; init; }

    public required double BenchmarkCpuSecondsDuringEcho { get; init; }

    public required IReadOnlyDictionary<string, long> StateWritesDuringRollout { get; init; }

    public required long RolloutStateBytes { get; init; }

    /// <summary>One node: until the restarted hub answers; several: until ListTargets shows all connected again.</summary>
    public required double HubRestartSeconds { get; init; }

    /// <summary>Several nodes: the rollout of revision 3 after the kill, part of <see cref="ResyncSeconds"/>.</summary>
    public required double? ResyncRolloutSeconds { get; init; }

    public required int? ResyncKilledNode { get; init; }

    public required int Nodes { get; init; }

    public required string Storage { get; init; }

    /// <summary>Several nodes: the latency probe with the Apply sent to node 1 while the agent is on node 0.</summary>
    public required LatencyFigures? LatencyCrossNodeMs { get; init; }

    public required IReadOnlyList<long> HubRssBytesPerNode { get; init; }

    public required IReadOnlyList<int> PostgresConnectionsPerNode { get; init; }

    public required double ResyncAgentsSeconds { get; init; }

    public required int ResyncDifferentDesiredSets { get; init; }

    public required int Connections { get; init; }

    public required int StreamsPerConnection { get; init; }

    public required int EchoStreams { get; init; }

    public required double EchoSeconds { get; init; }

    public required int EchoPayloadBytes { get; init; }

    public required int AgentSessionFailures { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset MeasuredAt { get; init; }

    public sealed record LatencyFigures(double P50, double P99, double Min, double Max);

    public sealed record MachineInfo(int Cores, string Os, string Runtime, double LoadAverageBefore, double LoadAverageAfter);
}
