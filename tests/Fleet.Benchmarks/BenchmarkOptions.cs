using static Fleet.Benchmarks.BenchmarkCommandLine;

namespace Fleet.Benchmarks;

/// <summary>The benchmark's command line: <c>rollout --targets N --json FILE</c> and a few knobs with defaults.</summary>
internal sealed record BenchmarkOptions : BenchmarkModeOptions
{
    public const string Usage = """
        usage: Fleet.Benchmarks rollout --targets N --json FILE [options]

          --targets N                 simulated agents (default 1000)
          --json FILE                 where the figures are written (JSON)
          --streams-per-connection N  agent streams per HTTP/2 connection (default 50)
          --echo-seconds S            length of the echo measurement (default 5)
          --latency-samples N         single-target desired-state changes timed (default 200)
          --nodes N                   hub nodes, one Orleans cluster (default 1; more than 1 implies postgres)
          --storage sqlite|postgres   the hub's storage (default sqlite); postgres runs a private server (initdb)
          --keep                      keep the hub's data directory and log (printed at the end)
        """ + "\n\n" + TemplateBenchmarkOptions.Usage + "\n\n" + DashboardBenchmarkOptions.Usage;

    public int Targets { get; init; } = 1000;

    public int StreamsPerConnection { get; init; } = 50;

    public double EchoSeconds { get; init; } = 5;

    public int LatencySamples { get; init; } = 200;

    public bool Keep { get; init; }

    public int Nodes { get; init; } = 1;

    /// <summary>"sqlite" or "postgres"; null until resolved by <see cref="Parse"/> (several nodes need postgres).</summary>
    public string? Storage { get; init; }

    public bool Postgres => Storage == "postgres";

    public int Connections => (Targets + StreamsPerConnection - 1) / StreamsPerConnection;

    public static (BenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "rollout")
        {
            return (null, $"the benchmarks are 'rollout', '{TemplateBenchmarkOptions.Mode}' and '{DashboardBenchmarkOptions.Mode}'");
        }

        var (parsed, error) = BenchmarkCommandLine.Parse(args, new BenchmarkOptions(), (options, flag, value) => flag switch
        {
            "--nodes" when Int(value(), 1, 9) is { } n => options with { Nodes = n },
            "--storage" when value() is var storage && storage is "sqlite" or "postgres" => options with { Storage = storage },
            "--targets" when Int(value(), 1, 100_000) is { } n => options with { Targets = n },
            "--streams-per-connection" when Int(value(), 1, 1000) is { } n => options with { StreamsPerConnection = n },
            "--echo-seconds" when Int(value(), 1, 600) is { } n => options with { EchoSeconds = n },
            "--latency-samples" when Int(value(), 1, 100_000) is { } n => options with { LatencySamples = n },
            "--keep" => options with { Keep = true },
            _ => null,
        });
        if (parsed is null)
        {
            return (null, error);
        }

        // Nodes of one hub share their state through PostgreSQL; an embedded SQLite file is one node's.
        if (parsed is { Nodes: > 1, Storage: "sqlite" })
        {
            return (null, "--nodes above 1 needs --storage postgres (SQLite is one node's)");
        }

        return (parsed with { Storage = parsed.Storage ?? (parsed.Nodes > 1 ? "postgres" : "sqlite") }, null);
    }
}
