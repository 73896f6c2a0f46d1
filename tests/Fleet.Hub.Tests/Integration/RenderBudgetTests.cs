using System.Diagnostics;
using Fleet.Domain.Rendering;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// The render budget end to end: a capability whose expressions together cost too much is refused by apply, naming the
/// resource; one that only costs too much for some target is that target's Failed capability; and the hub answers other
/// calls throughout.
/// </summary>
public sealed class RenderBudgetTests
{
    /// <summary>About 2 x 10^5 steps: a fifth of what one expression may cost, like the nested maps.</summary>
    private const string Heavy = "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, e))))).size()";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The default cost budget with a deadline a loaded test machine cannot reach, so the cost is what stops a render.</summary>
    private static void CostDecides(IServiceCollection services) =>
        services.AddSingleton(RenderLimits.Default with { MaxDuration = TimeSpan.FromMinutes(5) });

    /// <summary>A file whose content is <paramref name="count"/> expressions; each is cheap unless <paramref name="when"/> holds for the target.</summary>
    private static string Capability(string name, string when, int count, string selector = "env: dev") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: {{name}}
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { {{selector}} }
          resources:
            - id: small
              file:
                path: etc/{{name}}/small.txt
                content: "${target.name}"
            - id: heavy
              file:
                path: etc/{{name}}/heavy.txt
                content: "{{string.Join(" ", Enumerable.Repeat($"${{{when} ? {Heavy} : 0}}", count))}}"
        """;

    private const string Tiny = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: tiny
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: note
              file:
                path: etc/tiny.txt
                content: "tiny ${target.name}"
        """;

    [Fact]
    public async Task Apply_ExpressionsTogetherOverTheRenderBudget_IsRefusedNamingTheResource()
    {
        await using var fleet = await FleetHarness.StartAsync(CostDecides);
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);

        // 300 expressions, each allowed on its own: ~14 times what one render may spend.
        var response = await fleet.ApplyAsync(Capability("heavy", "true", 300));

        var error = Assert.Single(response.Errors);
        Assert.Equal(("test.yaml", 15, "spec.resources[heavy]"), (error.Source, error.Line, error.Field));
        Assert.Contains("for target a1: resource 'heavy' file.content: the expressions together exceeded their total cost budget of 5000000 steps", error.Message);
        var missing = await Assert.ThrowsAsync<RpcException>(() => fleet.CapabilityAsync("heavy"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Apply_OverTheRenderBudgetWithNoTargetYet_IsRefused()
    {
        await using var fleet = await FleetHarness.StartAsync(CostDecides);

        var response = await fleet.ApplyAsync(Capability("heavy", "true", 300));

        Assert.Contains("total cost budget", Assert.Single(response.Errors).Message);
    }

    [Fact]
    public async Task ApplyInstance_InputsThatMakeTheRenderOverBudget_AreRefusedAndCheapOnesStored()
    {
        await using var fleet = await FleetHarness.StartAsync(CostDecides);
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        var capability = $$"""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: costly
            spec:
              version: "1"
              inputs:
                heavy: boolean | default=false
              placement:
                selector:
                  matchLabels: { env: dev }
              resources:
                - id: report
                  file:
                    path: "etc/${instance.name}.txt"
                    content: "{{string.Join(" ", Enumerable.Repeat($"${{inputs.heavy ? {Heavy} : 0}}", 300))}}"
            """;
        Assert.Empty((await fleet.ApplyAsync(capability)).Errors);
        static string Instance(string name, string heavy) => $$"""
            apiVersion: fleet/v1alpha1
            kind: Instance
            metadata:
              name: {{name}}
            spec:
              capability: costly
              inputs: { heavy: {{heavy}} }
            """;

        var refused = await fleet.ApplyAsync(Instance("big", "true"));
        var stored = await fleet.ApplyAsync(Instance("small", "false"));

        Assert.Contains("for target a1: resource 'report' file.content: the expressions together exceeded their total cost budget", Assert.Single(refused.Errors).Message);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => fleet.Admin.GetInstanceAsync(new GetRequest { Name = "big" }, cancellationToken: Cancel).ResponseAsync)).StatusCode);
        Assert.Empty(stored.Errors);
        Assert.Equal("created", stored.Outcome);
    }

    [Fact]
    public async Task Render_OverBudgetForOneTarget_IsThatTargetsFailedCapabilityAndTheHubKeepsAnswering()
    {
        await using var fleet = await FleetHarness.StartAsync(CostDecides);
        fleet.StartAgent("light", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        // Cheap for "light", the target apply renders it for; ~14 times the budget for "heavy".
        var applied = await fleet.ApplyAsync(Capability("costly", "target.name == 'heavy'", 300));
        Assert.Empty(applied.Errors);
        var tiny = await fleet.ApplyAsync(Tiny);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "costly rolled out");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(tiny.RolloutId)).Phase == RolloutPhase.Succeeded, "tiny rolled out");

        // While "heavy" joins and renders, and three viewers render it too, other calls are timed.
        var latencies = new List<double>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var probe = Task.Run(async () =>
        {
            for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var list = await fleet.Admin.ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Assert.NotEmpty(list.Items);
            }
        }, Cancel);
        fleet.StartAgent("heavy", "env=dev");
        await fleet.WaitForConnectedAsync(2);
        var viewers = Enumerable.Range(0, 3).Select(_ => fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "costly", Target = "heavy" }, cancellationToken: Cancel).ResponseAsync).ToList();
        await Eventually.Holds(async () => (await fleet.TargetAsync("heavy")).Capabilities.GetValueOrDefault("costly") is { State: TargetCapabilityState.Failed }, "costly Failed on heavy");
        var rendered = await Task.WhenAll(viewers);
        await Eventually.Holds(async () => (await fleet.TargetAsync("heavy")).Capabilities.GetValueOrDefault("tiny") is { State: TargetCapabilityState.Ready }, "tiny Ready on heavy");
        await stop.CancelAsync();
        await probe;

        var heavy = await fleet.TargetAsync("heavy");
        Assert.True(heavy.Connected);
        Assert.Contains("resource 'heavy' file.content: the expressions together exceeded their total cost budget", heavy.Capabilities["costly"].Message);
        Assert.Equal("tiny heavy", fleet.ReadTargetFile("heavy", "etc/tiny.txt"));
        Assert.All(rendered, r => Assert.Contains("total cost budget", r.Desired.Error));
        Assert.NotEmpty(latencies);
        var sorted = latencies.Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"list targets during the heavy renders: {sorted.Count} calls, p50 {sorted[sorted.Count / 2]:0.0} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} ms, max {sorted[^1]:0.0} ms");
    }
}
