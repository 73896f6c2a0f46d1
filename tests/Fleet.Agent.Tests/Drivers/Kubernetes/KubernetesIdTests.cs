using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>Resource ids the wire must not carry: the kubernetes driver refuses them as the files and exec drivers do.</summary>
public sealed class KubernetesIdTests : KubernetesDriverTestBase
{
    [Fact]
    public async Task ConvergeAsync_EmptyAndDuplicateIds_FailThoseResourcesAndApplyNothingForThem()
    {
        var report = await NewDriver().ConvergeAsync(Capability("shop", 1, ConfigMap("settings"), ConfigMap(""), Manifest("settings", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}""")), Ct);

        Assert.Equal(
            [("settings", ResourceState.Ready, ""), ("", ResourceState.Failed, "resource has no id"), ("settings", ResourceState.Failed, "duplicate resource id in this capability")],
            report.Resources.Select(r => (r.Id, r.State, r.Message)));
        Assert.Equal(ResourceState.Failed, report.State);
        Assert.Equal([$"PATCH {ConfigMaps}/settings"], Calls("PATCH"));
    }
}
