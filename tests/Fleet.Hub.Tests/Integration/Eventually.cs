namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// Waits for a condition that real components (agents, streams, files) reach asynchronously. The timeout
/// is a bound on a hang, not a performance assertion: conditions normally hold within milliseconds.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task Holds(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or IOException)
            {
                last = e;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"timed out waiting for: {what}{(last is null ? "" : $" (last error: {last.Message})")}");
    }

    public static Task Holds(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Holds(() => Task.FromResult(condition()), what, timeout);
}
