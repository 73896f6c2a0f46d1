using System.Text.RegularExpressions;
using Fleet.Hub.Tests.Integration;
using Fleet.Hub.Tests.Storage;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Observability;

/// <summary>--metrics-url: Prometheus scrapes what the hub did (streams, reports, revisions, rollouts, update times).</summary>
public sealed partial class MetricsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MetricsUrl_ServesPrometheusTextWithTheFleetsRolloutFigures()
    {
        var url = $"http://127.0.0.1:{FreePorts.Take(1)[0]}/metrics";
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { MetricsUrl = url });
        fleet.StartAgent("scraped-target-1", "env=dev", "region=eu");
        fleet.StartAgent("scraped-target-2", "env=dev", "region=us");
        await fleet.WaitForConnectedAsync(2);
        // A name no other test uses: hubs that other tests run in this process meter under the same meter name.
        var applied = await fleet.ApplyAsync(Integration.Capabilities.Greeter("1").Replace("name: greeter", "name: metrics-probe"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "the rollout succeeded");
        using var http = new HttpClient();

        var text = "";
        await Eventually.Holds(async () =>
        {
            text = await http.GetStringAsync(url, Cancel);
            // Streams and reports carry no capability label, and other tests' hubs in this process open and close streams
            // under the same meter name: their exact values are checked by FleetMetricsTests, here only that they are served.
            return Value(text, "fleet_rollout_targets_total", "capability=\"metrics-probe\"", "state=\"Succeeded\"") == 2
                && Value(text, "fleet_agent_streams") != -1
                && Value(text, "fleet_agent_reports_total", "state=\"Ready\"") != -1;
        }, "the scrape shows the finished rollout and the stream and report series");

        Assert.Equal(1, Value(text, "fleet_rollouts_finished_total", "capability=\"metrics-probe\"", "phase=\"Succeeded\""));
        Assert.Equal(1, Value(text, "fleet_rollouts_started_total", "capability=\"metrics-probe\""));
        Assert.Equal(1, Value(text, "fleet_capability_revisions_total", "capability=\"metrics-probe\""));
        Assert.Equal(2, Value(text, "fleet_rollout_target_update_duration_seconds_count", "capability=\"metrics-probe\""));
        // In a hub of several nodes each scrape names its node: the advertised (or machine) name and its silo port.
        Assert.Equal(1, Value(text, "target_info", $"service_instance_id=\"{Environment.MachineName}:"));
        // Target names never become labels (one series per target would swamp any backend).
        Assert.DoesNotContain("scraped-target", text);
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain all of <paramref name="labels"/>; -1 if none.</summary>
    private static double Value(string text, string metric, params string[] labels)
    {
        foreach (Match sample in Sample().Matches(text))
        {
            if (sample.Groups["name"].Value == metric && labels.All(l => sample.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(sample.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
