namespace Fleet.Agent.Tests;

/// <summary>
/// Polls for something another process or thread brings about (a child process exiting, a loop publishing): a fake
/// clock cannot move those, so this waits in real time, long enough for a loaded CI machine and no longer.
/// </summary>
internal static class Eventually
{
    public static async Task WaitUntil(Func<bool> condition, string what = "condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} not reached");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
