using static Fleet.Benchmarks.BenchmarkCommandLine;

namespace Fleet.Benchmarks;

/// <summary>The templates benchmark's command line: <c>templates --json FILE</c> and a few knobs with defaults.</summary>
internal sealed record TemplateBenchmarkOptions : BenchmarkModeOptions
{
    public const string Mode = "templates";

    public const string Usage = """
        usage: Fleet.Benchmarks templates --json FILE [options]

          --json FILE                 where the figures are written (JSON)
          --targets N                 synthetic targets placed and rendered per pass (default 10000)
          --repetitions N             measured passes of each figure; the median is reported (default 10)
          --warmup-seconds S          untimed passes of each figure first, for at least S seconds (default 1)
        """;

    public int Targets { get; init; } = 10_000;

    public int Repetitions { get; init; } = 10;

    public int WarmUpSeconds { get; init; } = 1;

    public static (TemplateBenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != Mode)
        {
            return (null, $"expected '{Mode}'");
        }

        return BenchmarkCommandLine.Parse(args, new TemplateBenchmarkOptions(), (options, flag, value) => flag switch
        {
            "--targets" when Int(value(), 1, 1_000_000) is { } n => options with { Targets = n },
            "--repetitions" when Int(value(), 1, 1000) is { } n => options with { Repetitions = n },
            "--warmup-seconds" when Int(value(), 0, 600) is { } n => options with { WarmUpSeconds = n },
            _ => null,
        });
    }
}
