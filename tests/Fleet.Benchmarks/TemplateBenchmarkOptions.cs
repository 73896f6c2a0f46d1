using System.Globalization;

namespace Fleet.Benchmarks;

/// <summary>The templates benchmark's command line: <c>templates --json FILE</c> and a few knobs with defaults.</summary>
internal sealed record TemplateBenchmarkOptions
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

    public string JsonFile { get; init; } = "";

    public int Repetitions { get; init; } = 10;

    public int WarmUpSeconds { get; init; } = 1;

    public static (TemplateBenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != Mode)
        {
            return (null, $"expected '{Mode}'");
        }

        var options = new TemplateBenchmarkOptions();
        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (flag)
            {
                case "--targets" when Int(Value(), 1, 1_000_000) is { } n:
                    options = options with { Targets = n };
                    break;
                case "--json" when Value() is { Length: > 0 } file:
                    options = options with { JsonFile = file };
                    break;
                case "--repetitions" when Int(Value(), 1, 1000) is { } n:
                    options = options with { Repetitions = n };
                    break;
                case "--warmup-seconds" when Int(Value(), 0, 600) is { } n:
                    options = options with { WarmUpSeconds = n };
                    break;
                default:
                    return (null, $"unknown flag or bad value: {flag}");
            }
        }

        return options.JsonFile.Length == 0 ? (null, "--json FILE is required") : (options, null);
    }

    private static int? Int(string? text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
