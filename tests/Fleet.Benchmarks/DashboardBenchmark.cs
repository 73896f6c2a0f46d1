using System.Globalization;
using System.Text.Json;
using Fleet.Tests.Shared;
using Microsoft.Playwright;

namespace Fleet.Benchmarks;

/// <summary>
/// Issue 13's scale figure: the real hub (its own process, --dashboard-url) with N simulated agents registered and
/// connected, and the first view of its Targets page in headless chromium, from the navigation's start to the list
/// in the page, read from the browser's Performance API (PerformanceNavigationTiming and the first contentful
/// paint). Each view is a fresh browser context: no cache, no cookie.
/// </summary>
internal static class DashboardBenchmark
{
    private static readonly TimeSpan HubStartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunCommandLineAsync(IReadOnlyList<string> args)
    {
        var (options, error) = DashboardBenchmarkOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine(DashboardBenchmarkOptions.Usage);
            return 2;
        }

        var root = Directory.CreateTempSubdirectory("fleet-bench-dashboard-");
        var dashboard = new Uri($"http://127.0.0.1:{HubProcess.FreePort()}/");
        using var hub = new HubProcess(Path.Combine(root.FullName, "hub"), Path.Combine(root.FullName, "hub.log"), ["--dashboard-url", dashboard.ToString().TrimEnd('/')]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => hub.KillHard();
        try
        {
            var figures = await RunAsync(options, hub, dashboard);
            await File.WriteAllTextAsync(options.JsonFile, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {options.JsonFile}");
            return 0;
        }
        catch (Exception e) when (e is BenchmarkException or ChromiumUnavailableException or PlaywrightException or Grpc.Core.RpcException)
        {
            Console.Error.WriteLine($"benchmark failed: {e.Message}");
            Console.Error.WriteLine(hub.LogTail());
            return 1;
        }
        finally
        {
            hub.KillHard();
            try
            {
                root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp directory is cleaned by the system later.
            }
        }
    }

    private static async Task<Dictionary<string, object>> RunAsync(DashboardBenchmarkOptions options, HubProcess hub, Uri dashboard)
    {
        var n = options.Targets;
        Console.WriteLine($"Fleet dashboard benchmark: {n} targets, {Environment.ProcessorCount} cores");
        hub.Start();
        using var admin = new HubAdmin(hub.Address);
        await Until(() => admin.Answers(CancellationToken.None), HubStartTimeout, "the hub answers");

        await using var fleet = new AgentFleet([hub.Address], n, streamsPerConnection: 50);
        fleet.Start();
        var connectBound = TimeSpan.FromSeconds(60 + (0.1 * n));
        await Until(() => Task.FromResult(fleet.Connected == n), connectBound, $"{n} agent streams");
        await Until(async () => await admin.ConnectedTargets("", CancellationToken.None) == n, connectBound, $"{n} connected targets listed");
        Console.WriteLine($"{n} targets connected");

        await using var browser = await HeadlessBrowser.LaunchAsync();
        var views = new List<PageTiming>();
        for (var view = 0; view < options.Views; view++)
        {
            await using var context = await browser.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(dashboard, "targets").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
            var rows = await page.Locator("#targets tbody tr").CountAsync();
            var summary = await page.Locator("#targets .summary").InnerTextAsync();
            if (!summary.StartsWith($"{n} targets, {n} connected", StringComparison.Ordinal))
            {
                throw new BenchmarkException($"the Targets page does not show the fleet: '{summary}'");
            }

            // Read as JSON: Playwright maps a script's object onto settable properties only, not onto a record's constructor.
            var entry = await page.EvaluateAsync<JsonElement>("""
                () => {
                  const nav = performance.getEntriesByType('navigation')[0];
                  const paint = performance.getEntriesByName('first-contentful-paint')[0];
                  return {
                    responseStart: nav.responseStart, responseEnd: nav.responseEnd,
                    domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                    firstContentfulPaint: paint ? paint.startTime : -1, bytes: nav.transferSize };
                }
                """);
            double Ms(string name) => entry.GetProperty(name).GetDouble();
            var timing = new PageTiming(Ms("responseStart"), Ms("responseEnd"), Ms("domContentLoaded"), Ms("load"), Ms("firstContentfulPaint"), (long)Ms("bytes"), rows);
            views.Add(timing);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"view {view + 1}: first byte {timing.ResponseStart:0} ms, last byte {timing.ResponseEnd:0} ms, DOM ready (list in the page) {timing.DomContentLoaded:0} ms, first contentful paint {timing.FirstContentfulPaint:0} ms, {timing.Bytes / 1024} KiB, {rows} rows"));
        }

        double Median(Func<PageTiming, double> figure) => views.Select(figure).Order().ElementAt(views.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {views.Count}: DOM ready {Median(v => v.DomContentLoaded):0} ms, first contentful paint {Median(v => v.FirstContentfulPaint):0} ms (from the navigation's start)"));
        return new Dictionary<string, object>
        {
            ["targets"] = n,
            ["cores"] = Environment.ProcessorCount,
            ["chromium"] = browser.Browser.Version,
            ["views"] = views,
            ["medianDomContentLoadedMs"] = Median(v => v.DomContentLoaded),
            ["medianFirstContentfulPaintMs"] = Median(v => v.FirstContentfulPaint),
            ["medianFirstByteMs"] = Median(v => v.ResponseStart),
        };
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan bound, string what)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkException($"timed out after {bound.TotalSeconds:0} s waiting for: {what}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Milliseconds from the navigation's start, as the browser's Performance API gives them.</summary>
    internal sealed record PageTiming(double ResponseStart, double ResponseEnd, double DomContentLoaded, double Load, double FirstContentfulPaint, long Bytes, int Rows);
}
