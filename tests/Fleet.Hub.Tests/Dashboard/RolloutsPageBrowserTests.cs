using Fleet.Protocol.Admin.V1;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>
/// The must-be-true of issue 13 in a real browser: an open Rollouts page follows a rollout of a running hub with
/// real agents wave by wave by itself (server-sent events, no reload), an operator approves a wave from the page,
/// and a target whose apply fails shows its message.
/// </summary>
public sealed class RolloutsPageBrowserTests(BrowserFixture browser)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Three waves, one target each; the last two wait for an approval.</summary>
    private const string ThreeWaves = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: motd
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: motd
              file:
                path: etc/motd
                content: "motd ${target.name}"
          rollout:
            waves:
              - name: canary
                selector: { matchLabels: { ring: canary } }
              - name: early
                selector: { matchLabels: { ring: early } }
                approval: true
              - name: rest
                approval: true
        """;

    [Fact]
    public async Task Rollout_AdvancesWaveByWaveOnAnOpenPage_WithoutReloading()
    {
        await using var context = await browser.NewContextAsync();
        await using var fleet = await DashboardFleet.StartAsync();
        await fleet.StartAgentsAsync(3, i => ["env=dev", i switch { 1 => "ring=canary", 2 => "ring=early", _ => "ring=main" }]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(fleet.Page("rollouts"));
        await Expect(page.Locator("#rollouts")).ToContainTextAsync("No rollouts yet");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        // A mark on this very document: a reload or a navigation would make a new one without it.
        await page.EvaluateAsync("() => { window.fleetTestMark = 'same page'; }");

        var applied = await fleet.Fleet.ApplyAsync(ThreeWaves);

        var waves = page.Locator($"#rollout-{applied.RolloutId} .wave");
        await Expect(waves.Nth(0).Locator("[data-wave-phase]")).ToHaveTextAsync("Succeeded");
        await Expect(waves.Nth(1).Locator("[data-wave-phase]")).ToHaveTextAsync("WaitingApproval");
        await Expect(waves.Nth(0)).ToContainTextAsync("1/1");
        await Expect(waves.Nth(1)).ToContainTextAsync("0/1");
        await Expect(page.Locator($"#rollout-{applied.RolloutId} [data-phase]")).ToHaveTextAsync("WaitingApproval");

        // Approved elsewhere (as by `fleet rollout approve`): the open page follows.
        await fleet.Fleet.Admin.ApproveRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);

        await Expect(waves.Nth(1).Locator("[data-wave-phase]")).ToHaveTextAsync("Succeeded");
        await Expect(waves.Nth(1)).ToContainTextAsync("1/1");
        await Expect(waves.Nth(2).Locator("[data-wave-phase]")).ToHaveTextAsync("WaitingApproval");
        Assert.Equal("same page", await page.EvaluateAsync<string?>("() => window.fleetTestMark ?? null"));
        await Screenshots.SaveAsync(page, "rollouts");
    }

    [Fact]
    public async Task Approve_ClickedOnThePage_MovesTheWaitingWaveOn()
    {
        await using var context = await browser.NewContextAsync();
        await using var fleet = await DashboardFleet.StartAsync();
        await fleet.StartAgentsAsync(3, i => ["env=dev", i switch { 1 => "ring=canary", 2 => "ring=early", _ => "ring=main" }]);
        var applied = await fleet.Fleet.ApplyAsync(ThreeWaves);
        var page = await context.NewPageAsync();
        await page.GotoAsync(fleet.Page("rollouts"));
        var rollout = page.Locator($"#rollout-{applied.RolloutId}");
        var early = rollout.Locator(".wave").Nth(1).Locator("[data-wave-phase]");
        await Expect(early).ToHaveTextAsync("WaitingApproval");

        await rollout.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToContainTextAsync($"approve: rollout {applied.RolloutId}");
        await Expect(early).ToHaveTextAsync("Succeeded");
        await Expect(rollout.Locator(".wave").Nth(2).Locator("[data-wave-phase]")).ToHaveTextAsync("WaitingApproval");
        Assert.Equal("motd t2", fleet.Fleet.ReadTargetFile("t2", "etc/motd"));
        Assert.Null(fleet.Fleet.ReadTargetFile("t3", "etc/motd"));
    }

    [Fact]
    public async Task FailingTarget_ItsMessageIsShownOnBothPages()
    {
        await using var context = await browser.NewContextAsync();
        await using var fleet = await DashboardFleet.StartAsync();
        // A directory where t2's file must go: the files agent cannot write it, and says why.
        Directory.CreateDirectory(Path.Combine(fleet.Fleet.TargetRoot("t2"), "etc", "motd"));
        await fleet.StartAgentsAsync(2, _ => ["env=dev"]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(fleet.Page("rollouts"));

        var applied = await fleet.Fleet.ApplyAsync("""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: motd
            spec:
              version: "1"
              placement:
                selector:
                  matchLabels: { env: dev }
              resources:
                - id: motd
                  file:
                    path: etc/motd
                    content: "motd"
            """);

        var failure = page.Locator($"#rollout-{applied.RolloutId} .failures li");
        await Expect(failure).ToHaveCountAsync(1);
        await Expect(failure).ToContainTextAsync("t2");
        var message = (await fleet.Fleet.RolloutAsync(applied.RolloutId)).Waves.SelectMany(w => w.Targets).Single(t => t.Name == "t2").Message;
        Assert.False(string.IsNullOrWhiteSpace(message));
        await Expect(failure).ToContainTextAsync(message);

        await page.GotoAsync(fleet.Page("targets"));
        var row = page.Locator("#targets tbody tr.row-bad");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("t2");
        await Expect(row).ToContainTextAsync("Failed");
        await Expect(page.Locator("#targets .summary")).ToContainTextAsync("1 failing or drifted");
        await Screenshots.SaveAsync(page, "targets");

        await row.GetByRole(AriaRole.Link, new() { Name = "t2" }).ClickAsync();

        var detail = page.Locator("#target");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Target t2");
        await Expect(detail.Locator("tbody tr.row-bad")).ToContainTextAsync("motd");
        await Expect(detail).ToContainTextAsync(message);
        await Expect(detail).ToContainTextAsync("env=dev");
    }
}
