using System.Text.Json.Nodes;
using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Agent.Runtime;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Agent.Tests.Runtime;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Time.Testing;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>The reconcile loop with the kubernetes driver: readiness followed by re-checks, prune, restarts, drift.</summary>
public sealed class KubernetesReconcileTests : ReconcilerTestBase
{
    private readonly FakeApiServer _server = new();

    private protected override ITargetDriver NewDriver() => _server.NewDriver(Dir);

    // The loops are stopped first: nothing reconciles against the server when it goes.
    protected override void DisposeDriverResources() => _server.Dispose();

    [Fact]
    public async Task Deployment_NotAvailableYet_IsApplyingUntilTheStatusSaysSoThenReadyWithinARecheck()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("shop", 1, [Namespace(), Deployment()])));
        var applying = await NextReport(reconciler);

        _server.SetStatus(WebPath, new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 2, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 });
        var ready = await AdvanceUntilReport(reconciler, Reconciler.ReadinessRecheck);

        Assert.Equal(ResourceState.Applying, applying.State);
        Assert.Contains("0/2 available", applying.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, ready.State);
    }

    [Fact]
    public async Task DependentOfADeployment_IsAppliedAtTheReadinessRecheckOnceTheDeploymentIsAvailable()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("shop", 1, [Namespace(), Deployment(), ConfigMap("settings").DependingOn("web")])));
        var waiting = await NextReport(reconciler);
        var appliedWhileWaiting = _server.Get($"{ConfigMaps}/settings");

        // No new desired set: the agent's own re-check finds the Deployment available and applies what waited for it.
        _server.SetStatus(WebPath, new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 2, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 });
        var ready = await AdvanceUntilReport(reconciler, Reconciler.ReadinessRecheck);

        Assert.Equal(ResourceState.Applying, waiting.State);
        Assert.Equal((ResourceState.Pending, "waiting for web to be ready"), (waiting.Resources[2].State, waiting.Resources[2].Message));
        Assert.Null(appliedWhileWaiting);
        Assert.Equal(ResourceState.Ready, ready.State);
        Assert.All(ready.Resources, r => Assert.NotEmpty(r.ObservedJson));
        Assert.NotNull(_server.Get($"{ConfigMaps}/settings"));
    }

    [Fact]
    public async Task AwaitingDependentOfARollingDeployment_StaysAsAppliedWhileTheDeploymentBecomesReadyThenTheRenderedSetAppliesIt()
    {
        const string text = "waiting for web to be Ready with its observed state";
        var available = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 2, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 };
        var reconciler = Start();
        reconciler.SetDesired(Desired(("shop", 1, [Namespace(), Deployment(), ConfigMap("settings", "v1").DependingOn("web")])));
        await NextReport(reconciler);
        _server.SetStatus(WebPath, available);
        Assert.Equal(ResourceState.Ready, (await AdvanceUntilReport(reconciler, Reconciler.ReadinessRecheck)).State);

        // Revision 2 rolls the Deployment out again; the hub cannot render settings until web is Ready at its new hash.
        reconciler.SetDesired(Desired(("shop", 2, [Namespace(), Deployment(image: "web:2"), ConfigMap("settings", "v2").DependingOn("web").Awaiting(text)])));
        var rolling = await NextReport(reconciler);
        available["observedGeneration"] = 2;
        _server.SetStatus(WebPath, available);
        var webReady = await AdvanceUntilReport(reconciler, Reconciler.ReadinessRecheck);
        var settingsBeforeRender = _server.Get($"{ConfigMaps}/settings")!["data"]!["value"]!.GetValue<string>();
        reconciler.SetDesired(Desired(("shop", 2, [Namespace(), Deployment(image: "web:2"), ConfigMap("settings", "v2").DependingOn("web")])));
        var rendered = await NextReport(reconciler);

        Assert.Equal((ResourceState.Applying, ResourceState.Applying, ResourceState.Pending, text), (rolling.State, rolling.Resources[1].State, rolling.Resources[2].State, rolling.Resources[2].Message));

        // What unblocks the hub: web Ready with its observed object, reported by the agent's own re-check.
        Assert.Equal((ResourceState.Applying, $"settings: {text}"), (webReady.State, webReady.Message));
        Assert.Equal(ResourceState.Ready, webReady.Resources[1].State);
        Assert.Equal("web:2", JsonNode.Parse(webReady.Resources[1].ObservedJson)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal((ResourceState.Pending, text), (webReady.Resources[2].State, webReady.Resources[2].Message));
        Assert.Equal("v1", settingsBeforeRender);

        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal("v2", _server.Get($"{ConfigMaps}/settings")!["data"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resync_ObjectEditedBehindItsBack_IsReportedDriftedAndCorrected()
    {
        var reconciler = Start();
        reconciler.SetDesired(Desired(("cfg", 1, [ConfigMap("settings", "a")])));
        Assert.Equal(ResourceState.Ready, (await NextReport(reconciler)).State);
        _server.Update($"{ConfigMaps}/settings", "kubectl-edit", o => o["data"]!["value"] = "changed");

        Time.Advance(TimeSpan.FromSeconds(30));
        var drift = await NextReport(reconciler);
        var corrected = await NextReport(reconciler);

        Assert.Equal(ResourceState.Drifted, drift.State);
        Assert.Contains("data.value is \"changed\" on the cluster, \"a\" applied", drift.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, corrected.State);
        Assert.Equal("a", _server.Get($"{ConfigMaps}/settings")!["data"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_WithTheInventoryOnDisk_PrunesWhatTheOldRunAppliedAndNothingForeign()
    {
        var first = Start();
        first.SetDesired(Desired(("cfg", 1, [ConfigMap("settings", "a"), ConfigMap("extra", "b")])));
        await NextReport(first);
        await Stop.CancelAsync();
        _server.Create($"{ConfigMaps}/foreign", "kubectl-create", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "foreign", ["namespace"] = "default", ["labels"] = new JsonObject { [KubernetesDriver.OwnerLabel] = "cfg" } },
            ["data"] = new JsonObject { ["value"] = "theirs" },
        });

        using var again = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var restarted = Create();
        _ = restarted.RunAsync(again.Token);
        restarted.SetDesired(Desired(("cfg", 2, [ConfigMap("settings", "a")])));
        var report = await NextReport(restarted);
        await again.CancelAsync();

        Assert.Equal((2L, ResourceState.Ready), (report.Revision, report.State));
        Assert.NotNull(_server.Get($"{ConfigMaps}/settings"));
        Assert.Null(_server.Get($"{ConfigMaps}/extra"));

        // Same kind, same namespace, even our label: but no inventory entry and not our annotations, so never deleted.
        Assert.NotNull(_server.Get($"{ConfigMaps}/foreign"));
    }

    /// <summary>
    /// Moves the fake clock in steps of <paramref name="step"/> (the re-check timer is armed just after the report
    /// is published, so one step may come too early), never as far as a resync: the report must come from the re-check.
    /// </summary>
    private async Task<CapabilityReport> AdvanceUntilReport(Reconciler reconciler, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved + step < TimeSpan.FromSeconds(30); moved += step)
        {
            Time.Advance(step);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await reconciler.Outbox.WaitAsync(0, wait.Token);
                return await NextReport(reconciler);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }
        }

        throw new Xunit.Sdk.XunitException("no report before the next resync");
    }

    private static DesiredSet Desired(params (string Key, long Revision, Resource[] Resources)[] capabilities)
    {
        var set = new DesiredSet();
        foreach (var (key, revision, resources) in capabilities)
        {
            set.Capabilities.Add(Capability(key, revision, resources));
        }

        set.Hash = string.Join(",", set.Capabilities.Select(c => c.Hash));
        return set;
    }
}
