using System.Text.RegularExpressions;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>Issue 13's must-be-true for the demo: <c>fleet demo</c> prints the dashboard's address, and during <c>--keep</c> it shows the fleet.</summary>
public sealed partial class DemoDashboardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-demo-dashboard-").FullName;

    [Fact]
    public async Task DemoKeep_PrintedDashboard_ListsFiveTargetsAndBothRollouts()
    {
        var log = Path.Combine(_dir, "demo.log");
        using var demo = Programs.Start(Programs.Cli, ["demo", "--keep", "--dir", Path.Combine(_dir, "fleet")], log);
        try
        {
            string Log() => File.Exists(log) ? File.ReadAllText(log) : "";
            await Eventually.Holds(() => Log().Contains("keeps running", StringComparison.Ordinal) || demo.HasExited, "the demo keeps its fleet running", diagnostics: Log);
            Assert.False(demo.HasExited, Log());
            var printed = DashboardLine().Match(Log());
            Assert.True(printed.Success, $"no dashboard address printed:\n{Log()}");
            // Early: before the first rollout, so a newcomer can watch it.
            Assert.True(printed.Index < Log().IndexOf("fleet apply", StringComparison.Ordinal), Log());

            using var http = new HttpClient { BaseAddress = new Uri(printed.Groups["url"].Value) };
            var targets = await http.GetStringAsync("targets", TestContext.Current.CancellationToken);
            var rollouts = await http.GetStringAsync("rollouts", TestContext.Current.CancellationToken);

            Assert.True(TargetRow().Matches(targets).Count == 5, targets);
            Assert.Contains("5 targets, 5 connected", targets);
            Assert.Equal(2, RolloutArticle().Matches(rollouts).Count);
            Assert.Equal(2, Regex.Matches(rollouts, ">Succeeded</span></h2>").Count);
        }
        finally
        {
            await Programs.KillHard(demo);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^dashboard: (?<url>http://127\.0\.0\.1:\d+/)$", RegexOptions.Multiline)]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"<tr( class=""row-bad"")?><th scope=""row"">(<a href=""/targets/target-\d+"">)?target-\d+(</a>)?</th>")]
    private static partial Regex TargetRow();

    [GeneratedRegex(@"<article class=""rollout""")]
    private static partial Regex RolloutArticle();
}
