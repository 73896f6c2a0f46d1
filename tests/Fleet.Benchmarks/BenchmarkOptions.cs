using System.Globalization;

namespace Fleet.Benchmarks;

/// <summary>The benchmark's command line: <c>rollout --targets N --json FILE</c> and a few knobs with defaults.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: Fleet.Benchmarks rollout --targets N --json FILE [options]

          --targets N                 simulated agents (default 1000)
          --json FILE                 where the figures are written (JSON)
          --streams-per-connection N  agent streams per HTTP/2 connection (default 50)
          --echo-seconds S            length of the echo measurement (default 5)
          --latency-samples N         single-target desired-state changes timed (default 200)
          --keep                      keep the hub's data directory and log (printed at the end)
        """ + "\n\n" + TemplateBenchmarkOptions.Usage;

    public int Targets { get; init; } = 1000;

    public string JsonFile { get; init; } = "";

    public int StreamsPerConnection { get; init; } = 50;

    public double EchoSeconds { get; init; } = 5;

    public int LatencySamples { get; init; } = 200;

    public bool Keep { get; init; }

    public int Connections => (Targets + StreamsPerConnection - 1) / StreamsPerConnection;

    public static (BenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "rollout")
        {
            return (null, $"the benchmarks are 'rollout' and '{TemplateBenchmarkOptions.Mode}'");
        }

        var options = new BenchmarkOptions();
        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (flag)
            {
                case "--targets" when Int(Value(), 1, 100_000) is { } n:
                    options = options with { Targets = n };
                    break;
                case "--json" when Value() is { Length: > 0 } file:
                    options = options with { JsonFile = file };
                    break;
                case "--streams-per-connection" when Int(Value(), 1, 1000) is { } n:
                    options = options with { StreamsPerConnection = n };
                    break;
                case "--echo-seconds" when Int(Value(), 1, 600) is { } n:
                    options = options with { EchoSeconds = n };
                    break;
                case "--latency-samples" when Int(Value(), 1, 100_000) is { } n:
                    options = options with { LatencySamples = n };
                    break;
                case "--keep":
                    options = options with { Keep = true };
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
