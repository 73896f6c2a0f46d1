namespace Fleet.Benchmarks;

/// <summary>A benchmark step that failed or timed out: the message says which and why.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
