using Microsoft.Playwright;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>
/// The pictures of docs/dashboard.md and the README are the pages these tests reach: with <c>FLEET_SCREENSHOTS=DIR</c>
/// set, a test saves its page there as NAME.png (e.g. <c>FLEET_SCREENSHOTS=docs/img</c>). Unset, as in every normal
/// run, nothing is written.
/// </summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("FLEET_SCREENSHOTS") is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }
}
