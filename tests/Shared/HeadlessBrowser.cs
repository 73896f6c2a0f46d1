using Microsoft.Playwright;

namespace Fleet.Tests.Shared;

/// <summary>
/// Debian's <c>chromium</c> package driven headless by Playwright: the browser the dashboard tests and the
/// dashboard benchmark share. Playwright's own browser download is never used (no internet here): the executable
/// is the one the system package installed, which <c>.ci/run</c> installs when it is missing.
/// </summary>
internal sealed class HeadlessBrowser : IAsyncDisposable
{
    /// <summary>Where Debian's package puts the browser; the first one that exists wins.</summary>
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"];

    private readonly IPlaywright _playwright;

    private HeadlessBrowser(IPlaywright playwright, IBrowser browser, string executable)
    {
        _playwright = playwright;
        Browser = browser;
        Executable = executable;
    }

    public IBrowser Browser { get; }

    public string Executable { get; }

    /// <summary>Starts one browser process (and Playwright's driver); every test opens contexts of its own in it.</summary>
    /// <exception cref="ChromiumUnavailableException">no chromium here, or it does not start</exception>
    public static async Task<HeadlessBrowser> LaunchAsync()
    {
        var executable = Find() ?? throw new ChromiumUnavailableException(
            $"no chromium found (looked at $FLEET_CHROMIUM, {string.Join(", ", Candidates)}); install Debian's chromium package");
        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                // A container's /dev/shm is often 64 MB, too small for chromium's renderer: use /tmp instead.
                Args = ["--disable-dev-shm-usage", "--no-first-run", "--disable-gpu"],
            }).ConfigureAwait(false);
            return new HeadlessBrowser(playwright, browser, executable);
        }
        catch (PlaywrightException e)
        {
            playwright.Dispose();
            throw new ChromiumUnavailableException($"{executable} did not start headless: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync().ConfigureAwait(false);
        _playwright.Dispose();
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("FLEET_CHROMIUM") is { Length: > 0 } configured)
        {
            // An explicit choice is the only one: a run meant for one browser never uses another.
            return File.Exists(configured) ? configured : null;
        }

        return Candidates.FirstOrDefault(File.Exists);
    }
}
