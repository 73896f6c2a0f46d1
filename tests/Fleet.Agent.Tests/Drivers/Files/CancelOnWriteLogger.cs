using Fleet.Agent.Drivers.Files;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>
/// Stands in for a crash in the middle of a converge: it cancels the converge the moment the driver logs its first
/// written file, so the driver stops before it reaches its end-of-converge bookkeeping.
/// </summary>
internal sealed class CancelOnWriteLogger(CancellationTokenSource cancellation) : ILogger<FilesDriver>
{
    private const string WroteEvent = "LogWrote";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name == WroteEvent)
        {
            cancellation.Cancel();
        }
    }
}
