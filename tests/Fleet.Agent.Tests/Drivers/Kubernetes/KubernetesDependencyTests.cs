using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>depends_on and observed state with the kubernetes driver against the in-process API server.</summary>
public sealed class KubernetesDependencyTests : KubernetesDriverTestBase
{
    private static JsonObject Observed(ResourceReport report) => (JsonObject)JsonNode.Parse(report.ObservedJson)!;

    [Fact]
    public async Task ConvergeAsync_SentOutOfOrder_AppliesEachObjectAfterWhatItDependsOnAndNamespacesStillFirst()
    {
        var desired = Capability("app", 1, ConfigMap("extra").DependingOn("settings"), ConfigMap("settings"), Namespace());

        var report = await NewDriver().ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal(["PATCH /api/v1/namespaces/shop", $"PATCH {ConfigMaps}/settings", $"PATCH {ConfigMaps}/extra"], Calls("PATCH"));
    }

    [Fact]
    public async Task ConvergeAsync_DependencyNotReadyYet_DependentIsPendingAndNotAppliedUntilAPassFindsItReady()
    {
        var driver = NewDriver();
        var desired = Capability("shop", 1, Namespace(), Deployment(), ConfigMap("settings").DependingOn("web"));

        var waiting = await driver.ConvergeAsync(desired, Ct);
        Server.SetStatus(WebPath, new JsonObject { ["observedGeneration"] = 1, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 });
        var ready = await driver.ConvergeAsync(desired, Ct);

        Assert.Equal(ResourceState.Applying, waiting.State);
        Assert.Equal((ResourceState.Pending, "waiting for web to be ready", ""), (waiting.Resources[2].State, waiting.Resources[2].Message, waiting.Resources[2].ObservedJson));
        Assert.Contains("settings: waiting for web to be ready", waiting.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Ready, ready.State);
        Assert.Equal([$"PATCH {ConfigMaps}/settings"], Calls("PATCH").Where(c => c.Contains("configmaps", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConvergeAsync_DependencyFails_OnlyItsDependentsAreNotApplied()
    {
        Server.FailNext("PATCH", "configmaps/settings", 500, count: 10);

        var report = await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("settings"), ConfigMap("extra").DependingOn("settings"), ConfigMap("other")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal((ResourceState.Failed, "not applied: dependency settings failed"), (report.Resources[1].State, report.Resources[1].Message));
        Assert.Equal(ResourceState.Ready, report.Resources[2].State);
        Assert.Null(Server.Get($"{ConfigMaps}/extra"));
        Assert.NotNull(Server.Get($"{ConfigMaps}/other"));
    }

    [Fact]
    public async Task ConvergeAsync_HeldDependent_KeepsItsObjectAsAppliedBeforeNeitherUpdatedNorPruned()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("shop", 1, Deployment(), ConfigMap("settings", "v1").DependingOn("web")), Ct);
        Server.SetStatus(WebPath, new JsonObject { ["observedGeneration"] = 1, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 });
        Assert.Equal(ResourceState.Ready, (await driver.ConvergeAsync(Capability("shop", 1, Deployment(), ConfigMap("settings", "v1").DependingOn("web")), Ct)).State);

        // Revision 2 rolls the Deployment out again and changes the ConfigMap: the ConfigMap waits, as it was.
        var report = await driver.ConvergeAsync(Capability("shop", 2, Deployment(image: "web:2"), ConfigMap("settings", "v2").DependingOn("web")), Ct);

        Assert.Equal((ResourceState.Applying, ResourceState.Pending), (report.State, report.Resources[1].State));
        Assert.Equal("v1", Server.Get($"{ConfigMaps}/settings")!["data"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("extra")]
    public async Task ConvergeAsync_UnknownIdOrCycle_AppliesAndDeletesNothing(string settingsDependsOn)
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, ConfigMap("old")), Ct);
        Server.Requests.Clear();

        var report = await driver.ConvergeAsync(Capability("app", 2, ConfigMap("settings").DependingOn(settingsDependsOn), ConfigMap("extra").DependingOn("settings")), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.StartsWith("invalid depends_on, nothing applied: ", report.Message, StringComparison.Ordinal);
        Assert.Empty(Server.Requests);
        Assert.NotNull(Server.Get($"{ConfigMaps}/old"));
    }

    [Fact]
    public async Task RemoveAsync_DeletesDependentsFirstWhateverOrderTheResourcesWereSentIn()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("extra").DependingOn("settings"), ConfigMap("settings"), Namespace()), Ct);

        var report = await NewDriver().RemoveAsync("app", Ct);

        Assert.True(report.Removed);
        Assert.Equal([$"DELETE {ConfigMaps}/extra", $"DELETE {ConfigMaps}/settings", "DELETE /api/v1/namespaces/shop"], Calls("DELETE"));
    }

    [Fact]
    public async Task ConvergeAsync_NewRevisionDropsObjects_DeletesThemDependentsFirst()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, ConfigMap("extra").DependingOn("settings"), ConfigMap("settings"), ConfigMap("keep")), Ct);

        var report = await driver.ConvergeAsync(Capability("app", 2, ConfigMap("keep")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Equal([$"DELETE {ConfigMaps}/extra", $"DELETE {ConfigMaps}/settings"], Calls("DELETE"));
    }

    [Fact]
    public async Task RemoveAsync_DependentsDeleteFails_WhatItDependsOnStaysUntilALaterPass()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, ConfigMap("settings"), ConfigMap("extra").DependingOn("settings")), Ct);
        Server.FailNext("DELETE", "configmaps/extra", 500);

        var first = await driver.RemoveAsync("app", Ct);
        var settingsAfterFirst = Server.Get($"{ConfigMaps}/settings");
        var second = await driver.RemoveAsync("app", Ct);

        Assert.Equal((false, ResourceState.Failed), (first.Removed, first.State));
        Assert.Contains("settings: ConfigMap default/settings not deleted yet: extra depends on it and is still there", first.Message, StringComparison.Ordinal);
        Assert.NotNull(settingsAfterFirst);
        Assert.True(second.Removed);
        Assert.Null(Server.Get($"{ConfigMaps}/settings"));
        Assert.Null(Server.Get($"{ConfigMaps}/extra"));
    }

    [Fact]
    public async Task ConvergeAsync_ObservedState_IsTheLiveObjectWithoutManagedFields()
    {
        var report = await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("settings", "a")), Ct);

        // The API server serves managedFields; the report leaves them out and keeps the rest of the live object.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Server.Url.TrimEnd('/')}{ConfigMaps}/settings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeApiServer.Token);
        using var response = await http.SendAsync(request, Ct);
        var served = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.NotNull(served["metadata"]!["managedFields"]);

        var observed = Observed(Assert.Single(report.Resources));
        ((JsonObject)served["metadata"]!).Remove("managedFields");
        Assert.True(JsonNode.DeepEquals(served, observed), observed.ToJsonString());
        Assert.Equal("a", observed["data"]!["value"]!.GetValue<string>());
        Assert.Equal("settings", observed["metadata"]!["annotations"]![KubernetesDriver.ResourceAnnotation]!.GetValue<string>());
    }

    [Fact]
    public async Task ConvergeAsync_ObjectLargerThanTheBound_IsReadyWithItsObservedStateLeftOutAndSaidSo()
    {
        var big = new string('x', ObservedState.MaxBytes + 1000);

        var report = await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("big", big), ConfigMap("small")), Ct);

        Assert.Equal(ResourceState.Ready, report.State);
        Assert.Empty(report.Resources[0].ObservedJson);
        Assert.Matches(@"^observed state omitted: \d+ bytes, more than the 65536 a resource report carries$", report.Resources[0].Message);
        Assert.NotEmpty(report.Resources[1].ObservedJson);
    }

    [Fact]
    public async Task ConvergeAsync_Secret_ObservedStateHasNoValues()
    {
        var secret = Manifest("creds", """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}},
             "type":"Opaque","data":{"password":"aHVudGVyMg=="},"stringData":{"token":"plain-token"}}
            """);

        var report = await NewDriver().ConvergeAsync(Capability("app", 1, secret), Ct);

        var resource = Assert.Single(report.Resources);
        Assert.Equal(ResourceState.Ready, resource.State);
        Assert.Equal("Opaque", Observed(resource)["type"]!.GetValue<string>());
        Assert.DoesNotContain("aHVudGVyMg", resource.ObservedJson, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-token", resource.ObservedJson, StringComparison.Ordinal);
        Assert.NotNull(Server.Get("/api/v1/namespaces/default/secrets/creds")!["data"]);
    }
}
