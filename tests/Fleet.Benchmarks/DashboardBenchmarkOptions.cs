using static Fleet.Benchmarks.BenchmarkCommandLine;

namespace Fleet.Benchmarks;

/// <summary>The dashboard benchmark's command line: <c>dashboard --targets N --json FILE</c>.</summary>
internal sealed record DashboardBenchmarkOptions : BenchmarkModeOptions
{
    public const string Mode = "dashboard";

    public const string Usage = """
        usage: Fleet.Benchmarks dashboard --json FILE [options]

          --json FILE                 where the figures are written (JSON)
          --targets N                 simulated agents registered and connected (default 10000)
          --views N                   first views of the Targets page timed, each in a fresh browser context (default 5)
        """;

    public int Targets { get; init; } = 10_000;

    public int Views { get; init; } = 5;

    public static (DashboardBenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != Mode)
        {
            return (null, $"expected '{Mode}'");
        }

        return BenchmarkCommandLine.Parse(args, new DashboardBenchmarkOptions(), (options, flag, value) => flag switch
        {
            "--targets" when Int(value(), 1, 100_000) is { } n => options with { Targets = n },
            "--views" when Int(value(), 1, 100) is { } n => options with { Views = n },
            _ => null,
        });
    }
}
