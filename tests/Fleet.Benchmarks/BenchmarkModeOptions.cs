namespace Fleet.Benchmarks;

/// <summary>What every benchmark mode's command line has: the file its figures are written to.</summary>
internal abstract record BenchmarkModeOptions
{
    public string JsonFile { get; init; } = "";
}
