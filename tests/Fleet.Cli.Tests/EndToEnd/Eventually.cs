namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>
/// Waits for a condition that real processes reach asynchronously (a hub answering, an agent connecting,
/// a file written by an agent). The bound only stops a hang: it is no performance assertion, and it is
/// long because a loaded CI machine starts a dotnet process slowly.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>Each poll of a condition may run the CLI or read a process's files; polling faster only loads the machine.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds; fails the test with <paramref name="what"/> when it has
    /// not held within <see cref="Bound"/>. An exception from the condition fails the test at once.
    /// </summary>
    /// <param name="diagnostics">What to add to the failure, read only then (e.g. the tails of the processes' logs).</param>
    public static async Task Holds(Func<Task<bool>> condition, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }

        Assert.Fail(diagnostics is null ? $"timed out waiting for: {what}" : $"timed out waiting for: {what}\n{diagnostics()}");
    }

    public static Task Holds(Func<bool> condition, string what, Func<string>? diagnostics = null) =>
        Holds(() => Task.FromResult(condition()), what, diagnostics);
}
