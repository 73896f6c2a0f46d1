namespace Fleet.Tests.Shared;

/// <summary>
/// The one way tests wait for something real components bring about asynchronously (an agent connecting, a
/// child process exiting, a file written, a loop publishing). Fake-clock logic is driven by moving the clock,
/// never by waiting here. The bound only stops a hang and is no performance assertion: conditions normally hold
/// within milliseconds, and the bound is long because a loaded CI machine is slow. A failure names what was awaited.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);

    /// <param name="condition">Polled until it holds; an I/O or gRPC error counts as "not yet" and is named if the wait fails.</param>
    /// <param name="what">What is awaited, for the failure message ("revision 2 reached a1").</param>
    /// <param name="bound">How long before the test fails; <see cref="DefaultBound"/> when null.</param>
    /// <param name="diagnostics">What to add to a failure, read only then (e.g. the tails of processes' logs).</param>
    /// <param name="interval">Between polls; longer where one poll is costly (it starts a CLI process), since polling faster only loads the machine.</param>
    public static async Task Holds(Func<Task<bool>> condition, string what, TimeSpan? bound = null, Func<string>? diagnostics = null, TimeSpan? interval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        var deadline = DateTime.UtcNow + (bound ?? DefaultBound);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or Grpc.Core.RpcException)
            {
                last = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(interval ?? DefaultInterval, TestContext.Current.CancellationToken);
        }

        var message = $"timed out after {(bound ?? DefaultBound).TotalSeconds:0} s waiting for: {what}";
        if (last is not null)
        {
            message += $" (last error: {last.Message})";
        }

        Assert.Fail(diagnostics is null ? message : $"{message}\n{diagnostics()}");
    }

    public static Task Holds(Func<bool> condition, string what, TimeSpan? bound = null, Func<string>? diagnostics = null, TimeSpan? interval = null) =>
        Holds(() => Task.FromResult(condition()), what, bound, diagnostics, interval);
}
