using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>The kubernetes driver against an in-process API server: apply, readiness, drift, prune, conflicts, errors.</summary>
public sealed class KubernetesDriverTests : KubernetesDriverTestBase
{
    private static JsonObject Status(long observedGeneration, long updated, long available) =>
        new() { ["observedGeneration"] = observedGeneration, ["updatedReplicas"] = updated, ["availableReplicas"] = available };

    [Fact]
    public async Task ConvergeAsync_AppliesWithServerSideApplyNamespaceFirstAndLabelsOwnership()
    {
        var report = await NewDriver().ConvergeAsync(Capability("shop", 1, Deployment(), Namespace(), ConfigMap()), Ct);

        var applies = Server.Requests.Where(r => r.StartsWith("PATCH", StringComparison.Ordinal)).ToList();
        Assert.Equal(["PATCH /api/v1/namespaces/shop", $"PATCH {WebPath}", "PATCH /api/v1/namespaces/default/configmaps/settings"], applies);
        var web = Server.Get(WebPath)!;
        Assert.Equal(KubernetesDriver.OwnerOf("shop"), web["metadata"]!["labels"]![KubernetesDriver.OwnerLabel]!.GetValue<string>());
        Assert.Equal("shop", web["metadata"]!["annotations"]![KubernetesDriver.CapabilityAnnotation]!.GetValue<string>());
        Assert.Equal(["fleet-agent"], Server.Managers(WebPath));
        Assert.Equal(["web", "ns", "settings"], report.Resources.Select(r => r.Id));

        // A Deployment is ready once rolled out and available; until then the capability is Applying.
        Assert.Equal(ResourceState.Applying, report.State);
        Assert.Equal("waiting: the controller has not observed the latest generation (0/2 updated, 0/2 available)", report.Resources[0].Message);
        Assert.Equal((ResourceState.Ready, ResourceState.Ready), (report.Resources[1].State, report.Resources[2].State));
    }

    [Fact]
    public async Task ConvergeAsync_BuiltInDeploymentReadiness_FollowsStatus()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, Namespace(), Deployment());
        await driver.ConvergeAsync(desired, Ct);

        Server.SetStatus(WebPath, Status(1, 2, 1));
        Assert.Equal(ResourceState.Applying, (await driver.ConvergeAsync(desired, Ct)).State);
        Server.SetStatus(WebPath, Status(1, 2, 2));
        Assert.Equal(ResourceState.Ready, (await driver.ConvergeAsync(desired, Ct)).State);
    }

    [Fact]
    public async Task ConvergeAsync_ReadyWhen_IsEvaluatedOverTheObservedObject()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, Namespace(), Deployment(readyWhen: "${self.status.phase == 'Serving'}"));

        var before = await driver.ConvergeAsync(desired, Ct);
        Server.SetStatus(WebPath, new JsonObject { ["phase"] = "Serving" });
        var after = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Applying, before.State);
        Assert.StartsWith("waiting: readyWhen ${self.status.phase == 'Serving'}", before.Resources[1].Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, after.State);
    }

    [Fact]
    public async Task ConvergeAsync_CrdThenItsCustomResource_DiscoversTheNewKind()
    {
        var crd = Manifest("crd", """{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Widget","plural":"widgets"},"versions":[{"name":"v1","served":true,"storage":true}]}}""");
        var widget = Manifest("widget", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""");

        var report = await NewDriver().ConvergeAsync(Capability("widgets", 1, widget, crd), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.NotNull(Server.Get("/apis/example.com/v1/namespaces/default/widgets/w1"));
    }

    [Fact]
    public async Task ConvergeAsync_CrdNotEstablishedYet_WaitsForItsKindInsteadOfFailing()
    {
        var crd = Manifest("crd", """{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Widget","plural":"widgets"},"versions":[{"name":"v1","served":true,"storage":true}]}}""");
        var widget = Manifest("widget", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""");
        var driver = NewDriver();
        Server.DelayCrdEstablishment = true;

        var waiting = await driver.ConvergeAsync(Capability("widgets", 1, crd, widget), Ct);
        Server.EstablishCrds();
        var ready = await driver.ConvergeAsync(Capability("widgets", 1, crd, widget), Ct);

        Assert.Equal(ResourceState.Applying, waiting.State);
        Assert.StartsWith("waiting: the cluster does not serve Widget in example.com/v1 yet", waiting.Resources[1].Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, ready.State);
        Assert.NotNull(Server.Get("/apis/example.com/v1/namespaces/default/widgets/w1"));
    }

    [Fact]
    public async Task ConvergeAsync_UnknownKind_FailsNamingIt()
    {
        var report = await NewDriver().ConvergeAsync(Capability("x", 1, Manifest("w", """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g"}}""")), Ct);
        Assert.Equal("the cluster serves no kind Gadget in example.com/v1", Assert.Single(report.Resources).Message);
    }

    [Fact]
    public async Task ConvergeAsync_FieldOwnedByAnotherManager_ReportsTheConflictAndForceTakesIt()
    {
        await NewDriver().ConvergeAsync(Capability("shop", 1, Namespace(), Deployment(image: "web:1")), Ct);
        Server.Update(WebPath, "kubectl-edit", o => o["spec"]!["replicas"] = 5);

        var conflicted = await NewDriver().ConvergeAsync(Capability("shop", 2, Namespace(), Deployment(replicas: 3, image: "web:2")), Ct);
        var forced = await NewDriver(force: true).ConvergeAsync(Capability("shop", 2, Namespace(), Deployment(replicas: 3, image: "web:2")), Ct);

        Assert.Equal(ResourceState.Failed, conflicted.State);
        Assert.Contains("conflict applying Deployment shop/web", conflicted.Resources[1].Message, StringComparison.Ordinal);
        Assert.Contains("conflict with \"kubectl-edit\": .spec.replicas", conflicted.Resources[1].Message, StringComparison.Ordinal);
        Assert.NotEqual(ResourceState.Failed, forced.State);
        Assert.Equal(3, Server.Get(WebPath)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(["fleet-agent"], Server.Managers(WebPath));
    }

    [Fact]
    public async Task DetectDriftAsync_ObjectChangedOrDeletedBehindItsBack_IsReportedAndReapplied()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, Namespace(), Deployment());
        await driver.ConvergeAsync(desired, Ct);
        Assert.Null(await driver.DetectDriftAsync(desired, Ct));

        Server.Update(WebPath, "kubectl-edit", o => o["spec"]!["replicas"] = 7);
        var changed = await driver.DetectDriftAsync(desired, Ct);
        await driver.ConvergeAsync(desired, Ct);
        var afterCorrection = Server.Get(WebPath)!["spec"]!["replicas"]!.GetValue<int>();
        Server.Remove("/api/v1/namespaces/shop");
        var deleted = await driver.DetectDriftAsync(desired, Ct);
        await driver.ConvergeAsync(desired, Ct);

        Assert.Equal("drifted: web: Deployment shop/web: spec.replicas is 7 on the cluster, 2 applied", changed?.Message);
        Assert.Equal(2, afterCorrection);
        Assert.Equal("drifted: ns: Namespace shop: deleted from the cluster", deleted?.Message);
        Assert.NotNull(Server.Get("/api/v1/namespaces/shop"));
    }

    [Fact]
    public async Task ConvergeAsync_ResourceRemovedByANewRevision_DeletesOnlyWhatItOwns()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 1, Namespace(), ConfigMap("settings"), ConfigMap("extra")), Ct);
        await NewDriver().ConvergeAsync(Capability("other", 1, ConfigMap("theirs")), Ct);

        // Someone took "extra" over (it no longer carries our owner label): it is forgotten, not deleted.
        Server.Update("/api/v1/namespaces/default/configmaps/extra", "someone", o => o["metadata"]!["labels"]![KubernetesDriver.OwnerLabel] = "c-someone-else");
        var report = await driver.ConvergeAsync(Capability("shop", 2, Namespace()), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Null(Server.Get("/api/v1/namespaces/default/configmaps/settings"));
        Assert.NotNull(Server.Get("/api/v1/namespaces/default/configmaps/extra"));
        Assert.NotNull(Server.Get("/api/v1/namespaces/default/configmaps/theirs"));
        Assert.Contains(Server.Requests, r => r.StartsWith("GET /api/v1/namespaces/default/configmaps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveAsync_DeletesInReverseOrderAcrossARestart()
    {
        await NewDriver().ConvergeAsync(Capability("shop", 1, Namespace(), ConfigMap()), Ct);

        var report = await NewDriver().RemoveAsync("shop", Ct);

        Assert.True(report.Removed);
        var deletes = Server.Requests.Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.Equal(["DELETE /api/v1/namespaces/default/configmaps/settings", "DELETE /api/v1/namespaces/shop"], deletes);
        Assert.Empty(NewDriver().OwnedCapabilities);
    }

    [Fact]
    public async Task ServerErrors_AreReportedAndTheNextPassRecovers()
    {
        var driver = NewDriver();
        Server.FailNext("PATCH", "/configmaps/settings", 500);
        Server.FailNext("PATCH", "/namespaces/shop", 403);

        var failed = await driver.ConvergeAsync(Capability("shop", 1, Namespace(), ConfigMap()), Ct);
        var recovered = await driver.ConvergeAsync(Capability("shop", 1, Namespace(), ConfigMap()), Ct);

        Assert.Equal(ResourceState.Failed, failed.State);
        Assert.Contains("403 Forbidden: injected 403", failed.Resources[0].Message, StringComparison.Ordinal);
        Assert.Contains("500 InternalError: injected 500", failed.Resources[1].Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, recovered.State);
    }

    [Fact]
    public async Task DeleteFails_KeepsTheObjectInTheInventoryToRetry()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 1, ConfigMap()), Ct);
        Server.FailNext("DELETE", "/configmaps/settings", 503);

        var failed = await driver.RemoveAsync("shop", Ct);
        var retried = await driver.RemoveAsync("shop", Ct);

        Assert.False(failed.Removed);
        Assert.True(retried.Removed);
        Assert.Null(Server.Get("/api/v1/namespaces/default/configmaps/settings"));
    }

    [Fact]
    public async Task WrongToken_IsReportedAsUnauthorized()
    {
        var report = await NewDriver(token: "wrong").ConvergeAsync(Capability("shop", 1, ConfigMap()), Ct);
        Assert.Contains("401", Assert.Single(report.Resources).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_IsReadyWhenCompleteAndFailedWhenFailed()
    {
        var driver = NewDriver();
        var job = Manifest("job", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate"},"spec":{"template":{}}}""");
        var desired = Capability("db", 1, job);
        Assert.Equal(ResourceState.Applying, (await driver.ConvergeAsync(desired, Ct)).State);

        Server.SetStatus("/apis/batch/v1/namespaces/default/jobs/migrate", new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Failed", ["status"] = "True", ["message"] = "backoff limit" }) });
        var failed = await driver.ConvergeAsync(desired, Ct);
        Server.SetStatus("/apis/batch/v1/namespaces/default/jobs/migrate", new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" }) });
        var complete = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal("job failed: backoff limit", failed.Resources[0].Message);
        Assert.Equal(ResourceState.Ready, complete.State);
    }
}
