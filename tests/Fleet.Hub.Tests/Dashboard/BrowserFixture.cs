using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Fleet.Hub.Tests.Dashboard.BrowserFixture))]

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>
/// One headless chromium for the whole test run, started on the first request (a run without dashboard tests never
/// pays for it). Each test opens a context of its own (its own cookies and storage), so tests run side by side
/// without seeing each other. Without chromium a test is skipped with the reason, except under <c>CI=true</c>,
/// where it fails: CI must not pass by skipping.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    /// <summary>How long Playwright's assertions wait for the page: a bound on a hang, not a performance limit.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Lazy<Task<HeadlessBrowser>> _browser = new(() => Task.Run(HeadlessBrowser.LaunchAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Playwright's web-first assertions (Expect(...).ToHaveTextAsync) retry until the page agrees or this bound ends.</summary>
    public BrowserFixture() => Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);

    /// <summary>
    /// A fresh context. Asked for before the test starts its fleet, so that a machine without chromium skips the
    /// test at once instead of after starting a hub for nothing.
    /// </summary>
    /// <param name="ignoreHttpsErrors">For a secure hub's dashboard, whose test CA chromium does not know (its TLS trust is tested over HTTP).</param>
    public async Task<IBrowserContext> NewContextAsync(bool ignoreHttpsErrors = false)
    {
        var browser = await RequireAsync().ConfigureAwait(false);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            IgnoreHTTPSErrors = ignoreHttpsErrors,
        }).ConfigureAwait(false);
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_browser.IsValueCreated)
        {
            return;
        }

        try
        {
            await (await _browser.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (ChromiumUnavailableException)
        {
            // It never started: nothing to close.
        }
    }

    private async Task<HeadlessBrowser> RequireAsync()
    {
        try
        {
            return await _browser.Value.ConfigureAwait(false);
        }
        catch (ChromiumUnavailableException unavailable)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"CI=true and chromium is unavailable: {unavailable.Message}", unavailable);
            }

            Assert.Skip($"chromium is unavailable here: {unavailable.Message}");
            throw;
        }
    }
}
