using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;

namespace Fleet.Hub.Tests.Integration;

/// <summary>A running in-process agent; disposing it stops it like a terminated agent process.</summary>
internal sealed class AgentHandle : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public AgentHandle(AgentOptions options, AgentRuntime runtime)
    {
        Options = options;
        _run = Task.Run(() => runtime.RunAsync(_stop.Token));
    }

    public AgentOptions Options { get; }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }
}
