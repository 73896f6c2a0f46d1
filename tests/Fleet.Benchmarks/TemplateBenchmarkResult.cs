namespace Fleet.Benchmarks;

/// <summary>What the templates benchmark writes, camelCase in JSON. docs/benchmarks.md says what each figure times.</summary>
internal sealed record TemplateBenchmarkResult
{
    public string Benchmark { get; init; } = TemplateBenchmarkOptions.Mode;

    public required int Targets { get; init; }

    public required int Repetitions { get; init; }

    public required IReadOnlyList<string> Expressions { get; init; }

    /// <summary><c>CelEngine.Compile</c> of each of <see cref="Expressions"/>, over and over.</summary>
    public required Figures Compile { get; init; }

    /// <summary>The <c>matches</c> expression with a pattern never seen before each time (the regex is built, not cached).</summary>
    public required Figures CompileNewPattern { get; init; }

    /// <summary>Every compiled expression evaluated against the variables of every target.</summary>
    public required Figures Evaluate { get; init; }

    /// <summary>Each expression alone over the variables of the first 100 targets (cache-hot): the median nanoseconds per evaluation.</summary>
    public required IReadOnlyDictionary<string, double> EvaluateNanosecondsByExpression { get; init; }

    /// <summary><c>DocumentParser.ParseOne</c> then <c>CapabilityRenderer.Compile</c> of the typical capability.</summary>
    public required Figures ParseAndCompileCapability { get; init; }

    /// <summary><c>Place</c> alone for every target; one operation is one target.</summary>
    public required Figures Place { get; init; }

    /// <summary><c>Place</c> for every target, and <c>Render</c> for every placed one; one operation is one target.</summary>
    public required Figures PlaceAndRender { get; init; }

    public required RenderCounts PlaceAndRenderCounts { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset MeasuredAt { get; init; }

    /// <summary>Median, fastest and slowest of the measured passes.</summary>
    public sealed record Spread(double Median, double Min, double Max);

    /// <summary>One figure: <see cref="OperationsPerPass"/> operations timed together, <see cref="TemplateBenchmarkResult.Repetitions"/> times.</summary>
    public sealed record Figures(
        long OperationsPerPass,
        Spread OperationsPerSecond,
        Spread MicrosecondsPerOperation,
        Spread PassMilliseconds,
        long AllocatedBytesPerPass,
        double AllocatedBytesPerOperation,
        double Gen0CollectionsPerPass,
        int Gen2Collections,
        double FirstPassMilliseconds,
        IReadOnlyList<double> PassMillisecondsSamples);

    /// <summary>What one place-and-render pass did (the same in every pass).</summary>
    public sealed record RenderCounts(int Targets, int Placed, int Rendered, int Failed, int ResourcesRendered, long ContentCharacters);

    public sealed record MachineInfo(
        int Cores,
        string CpuModel,
        string Os,
        string Runtime,
        bool Optimized,
        string Gc,
        double LoadAverageBefore,
        double LoadAverageAfter);
}
