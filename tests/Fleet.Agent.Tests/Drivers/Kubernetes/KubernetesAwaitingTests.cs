using System.Text.Json.Nodes;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>Resources the hub sent awaiting (not rendered yet, no kind) with the kubernetes driver against the in-process API server.</summary>
public sealed class KubernetesAwaitingTests : KubernetesDriverTestBase
{
    private const string Text = "waiting for settings to be Ready with its observed state";

    private string? Value(string name) => Server.Get($"{ConfigMaps}/{name}")?["data"]?["value"]?.GetValue<string>();

    private static Resource Extra(string value) => ConfigMap("extra", value).DependingOn("settings");

    [Fact]
    public async Task ConvergeAsync_AwaitingThenRendered_NeitherAppliesNorDeletesItWhileAwaitingAppliesItsDependencyThenAppliesTheRenderedObject()
    {
        await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("settings", "v1"), Extra("v1")), Ct);
        Server.Requests.Clear();

        // A new driver each pass: what is held must survive a restart, from the inventory alone.
        var awaiting = await NewDriver().ConvergeAsync(Capability("app", 2, ConfigMap("settings", "v2"), Extra("v2").Awaiting(Text)), Ct);
        var callsWhileAwaiting = Server.Requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal)).ToList();
        var extraWhileAwaiting = Value("extra");
        var rendered = await NewDriver().ConvergeAsync(Capability("app", 3, ConfigMap("settings", "v2"), Extra("v2")), Ct);

        Assert.Equal((ResourceState.Applying, $"extra: {Text}"), (awaiting.State, awaiting.Message));
        var settings = awaiting.Resources[0];
        Assert.Equal(ResourceState.Ready, settings.State);
        Assert.Equal("v2", JsonNode.Parse(settings.ObservedJson)!["data"]!["value"]!.GetValue<string>());
        var extra = awaiting.Resources[1];
        Assert.Equal(("extra", Extra("v2").Awaiting(Text).Hash, ResourceState.Pending, Text, ""), (extra.Id, extra.Hash, extra.State, extra.Message, extra.ObservedJson));
        Assert.Equal([$"PATCH {ConfigMaps}/settings"], callsWhileAwaiting);
        Assert.Equal("v1", extraWhileAwaiting);

        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal("v2", JsonNode.Parse(rendered.Resources[1].ObservedJson)!["data"]!["value"]!.GetValue<string>());
        Assert.Equal("v2", Value("extra"));
        Assert.Empty(Calls("DELETE"));
    }

    [Fact]
    public async Task ConvergeAsync_DependentOfAnAwaitingResource_WaitsForItAndIsNotApplied()
    {
        var report = await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("settings", "v1"), Extra("v1").Awaiting(Text), ConfigMap("more").DependingOn("extra")), Ct);

        Assert.Equal(ResourceState.Applying, report.State);
        Assert.Equal(
            [("settings", ResourceState.Ready, ""), ("extra", ResourceState.Pending, Text), ("more", ResourceState.Pending, "waiting for extra to be ready")],
            report.Resources.Select(r => (r.Id, r.State, r.Message)));
        Assert.Equal([$"PATCH {ConfigMaps}/settings"], Calls("PATCH"));
    }

    [Fact]
    public async Task ConvergeAsync_DroppedObjectTheAwaitingOneWasAppliedAgainst_IsNotDeletedUntilTheRenderedOneNoLongerNeedsIt()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, ConfigMap("old"), ConfigMap("extra", "v1").DependingOn("old")), Ct);

        // Revision 2 drops old; extra now depends on settings, but as applied on the cluster it still uses old.
        var awaiting = await driver.ConvergeAsync(Capability("app", 2, ConfigMap("settings", "v1"), Extra("v2").Awaiting(Text)), Ct);
        var oldWhileAwaiting = Server.Get($"{ConfigMaps}/old");
        var rendered = await driver.ConvergeAsync(Capability("app", 3, ConfigMap("settings", "v1"), Extra("v2")), Ct);

        Assert.Equal(ResourceState.Applying, awaiting.State);
        Assert.Contains("old: ConfigMap default/old not deleted yet: extra depends on it and is still there", awaiting.Message, StringComparison.Ordinal);
        Assert.NotNull(oldWhileAwaiting);
        Assert.Equal(ResourceState.Ready, rendered.State);
        Assert.Equal([$"DELETE {ConfigMaps}/old"], Calls("DELETE"));
        Assert.Equal("v2", Value("extra"));
    }

    [Fact]
    public async Task RemoveAsync_WhileAResourceIsAwaiting_DeletesWhatItAppliedBeforeDependentsFirst()
    {
        var driver = NewDriver();
        await driver.ConvergeAsync(Capability("app", 1, Extra("v1"), ConfigMap("settings", "v1")), Ct);
        await driver.ConvergeAsync(Capability("app", 2, Extra("v2").Awaiting(Text), ConfigMap("settings", "v1")), Ct);

        var removed = await NewDriver().RemoveAsync("app", Ct);

        Assert.True(removed.Removed);
        Assert.Equal([$"DELETE {ConfigMaps}/extra", $"DELETE {ConfigMaps}/settings"], Calls("DELETE"));
    }

    [Fact]
    public async Task ConvergeAsync_NoKindAndNotAwaiting_IsRefusedSayingSo()
    {
        var bare = new Resource { Id = "extra", Hash = "bare", DependsOn = { "settings" } };

        var report = await NewDriver().ConvergeAsync(Capability("app", 1, ConfigMap("settings", "v1"), bare), Ct);

        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal(
            (ResourceState.Failed, "resource has no kind and is not awaiting a render: the kubernetes driver has nothing to apply"),
            (report.Resources[1].State, report.Resources[1].Message));
        Assert.Equal([$"PATCH {ConfigMaps}/settings"], Calls("PATCH"));
    }
}
