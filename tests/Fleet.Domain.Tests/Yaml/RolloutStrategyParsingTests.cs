using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

public sealed class RolloutStrategyParsingTests
{
    private const string Full = """
        trigger: manual
        maxUnavailable: 25%
        soakSeconds: 30
        progressDeadlineSeconds: 300
        failureBudget: { maxFailures: 10%, minSample: 5 }
        onFailure: rollback
        offlineTargets: skip
        waves:
          - name: canary
            selector: { matchLabels: { ring: canary } }
            maxUnavailable: 1
            soakSeconds: 60
          - name: rest
            approval: true
        window: { schedule: "0 2 * * *", durationMinutes: 120, timeZone: Europe/Berlin }
        """;

    private static IExpressionEngine Engine => TemplateEnvironment.Engine;

    [Fact]
    public void ParseStrategy_EveryField_IsRead()
    {
        var (strategy, errors) = DocumentParser.ParseStrategy(Full, "s.yaml", Engine);

        Assert.Empty(errors);
        Assert.NotNull(strategy);
        Assert.Equal((RolloutTrigger.Manual, "25%", 30, 300), (strategy.Trigger, strategy.MaxUnavailable.ToString(), strategy.SoakSeconds, strategy.ProgressDeadlineSeconds));
        Assert.Equal(("10%", 5), (strategy.FailureBudget!.MaxFailures.ToString(), strategy.FailureBudget.MinSample));
        Assert.Equal((OnFailure.Rollback, OfflineTargets.Skip), (strategy.OnFailure, strategy.OfflineTargets));
        var waves = strategy.Waves!;
        Assert.Equal(["canary", "rest"], waves.Select(w => w.Name));
        Assert.Equal(("1", 60, false), (waves[0].MaxUnavailable.ToString(), waves[0].SoakSeconds, waves[0].Approval));
        Assert.True(waves[0].Selector!.Matches(new Dictionary<string, string> { ["ring"] = "canary" }));
        Assert.Null(waves[1].Selector);
        Assert.True(waves[1].Approval);
        Assert.Equal(new WindowSpec { Schedule = "0 2 * * *", DurationMinutes = 120, TimeZone = "Europe/Berlin" }, strategy.Window);
    }

    [Fact]
    public void Serialize_FullStrategy_RoundTripsThroughCanonicalJson()
    {
        var (strategy, _) = DocumentParser.ParseStrategy(Full, "s.yaml", Engine);

        var json = RolloutStrategyJson.Serialize(strategy!);

        Assert.Equal(strategy, RolloutStrategyJson.Deserialize(json));
        Assert.Equal(json, RolloutStrategyJson.Serialize(RolloutStrategyJson.Deserialize(json)));
    }

    [Fact]
    public void Capability_WithFullStrategy_RoundTripsThroughCanonicalJsonAndDescribeYaml()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: motd }\nspec:\n  resources:\n    - id: m\n      file: { path: etc/motd, content: hi }\n  rollout:\n"
                   + string.Join('\n', Full.Split('\n').Select(l => "    " + l));
        var spec = DocumentParser.ParseAll(yaml, "c.yaml", Engine).Single().Capability!;

        var again = DocumentParser.ParseAll(CapabilitySpecYaml.Serialize(spec), "again.yaml", Engine).Single();

        Assert.Empty(again.Errors);
        Assert.Equal(CapabilitySpecJson.Serialize(spec), CapabilitySpecJson.Serialize(again.Capability!));
        Assert.Equal(spec.Rollout, CapabilitySpecJson.Deserialize(CapabilitySpecJson.Serialize(spec)).Rollout);
    }

    public static TheoryData<string, string, string> BadStrategies => new()
    {
        { "onFailure: retry", "onFailure", "'pause' or 'rollback'" },
        { "offlineTargets: maybe", "offlineTargets", "'wait' or 'skip'" },
        { "failureBudget: { maxFailures: 120% }", "failureBudget.maxFailures", "percentage" },
        { "failureBudget: { minSample: 0 }", "failureBudget.minSample", "from 1" },
        { "waves: []", "waves", "from 1 to 20 waves" },
        { "waves: [ { name: a }, { name: b } ]", "waves[0].selector", "only the last wave" },
        { "waves: [ { name: a, selector: { matchLabels: { x: y } } }, { name: a } ]", "waves[1].name", "duplicate wave name" },
        { "waves: [ { name: Bad_Wave } ]", "waves[0].name", "not a valid wave name" },
        { "waves: [ { name: a, approval: maybe } ]", "waves[0].approval", "true or false" },
        { "window: { schedule: \"not cron\", durationMinutes: 60 }", "window.schedule", "cron" },
        { "window: { schedule: \"0 2 * * *\", durationMinutes: 60, timeZone: Mars/Olympus }", "window.timeZone", "time zone" },
        { "window: { schedule: \"0 2 * * *\" }", "window.durationMinutes", "required" },
        { "maxUnavailable: 0", "maxUnavailable", "at least 1" },
        { "soakSeconds: 1s", "soakSeconds", "whole number" },
        { "wavez: []", "wavez", "did you mean 'waves'" },
    };

    [Theory]
    [MemberData(nameof(BadStrategies))]
    public void ParseStrategy_BadField_ReportsItWithItsPosition(string yaml, string field, string message)
    {
        var (strategy, errors) = DocumentParser.ParseStrategy(yaml, "s.yaml", Engine);

        Assert.Null(strategy);
        var error = Assert.Single(errors, e => e.Field == field);
        Assert.Contains(message, error.Message);
        Assert.Equal(("s.yaml", 1), (error.Source, error.Line));
    }

    [Fact]
    public void ParseStrategy_SeveralProblems_ReportsEveryOne()
    {
        var (_, errors) = DocumentParser.ParseStrategy("onFailure: retry\nofflineTargets: maybe\nsoakSeconds: x\n", "s.yaml", Engine);

        Assert.Equal([1, 2, 3], errors.Select(e => e.Line));
    }

    [Fact]
    public void MaintenanceWindow_DaylightSavingZone_OpensAtLocalTime()
    {
        var window = MaintenanceWindow.Create(new WindowSpec { Schedule = "0 2 * * *", DurationMinutes = 60, TimeZone = "Europe/Berlin" });
        var winter = new DateTimeOffset(2026, 1, 10, 0, 30, 0, TimeSpan.Zero);
        var summer = new DateTimeOffset(2026, 7, 10, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 1, 10, 1, 0, 0, TimeSpan.Zero), window.NextOpening(winter));
        Assert.Equal(new DateTimeOffset(2026, 7, 11, 0, 0, 0, TimeSpan.Zero), window.NextOpening(summer));
        Assert.True(window.IsOpen(new DateTimeOffset(2026, 1, 10, 1, 59, 0, TimeSpan.Zero)));
        Assert.False(window.IsOpen(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero)));
    }
}
