using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Domain.Rendering;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>Built-in readiness per kind and readyWhen, over objects as an API server returns them.</summary>
public sealed class ReadinessTests
{
    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"updatedReplicas":3,"availableReplicas":3}}""", ResourceState.Ready)]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":1,"updatedReplicas":3,"availableReplicas":3}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"updatedReplicas":3,"availableReplicas":2}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"updatedReplicas":2,"availableReplicas":3}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"currentRevision":"r2","updateRevision":"r2"}}""", ResourceState.Ready)]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"currentRevision":"r1","updateRevision":"r2"}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":1,"currentRevision":"r2","updateRevision":"r2"}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":4,"numberReady":4,"updatedNumberScheduled":4}}""", ResourceState.Ready)]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":4,"numberReady":4,"updatedNumberScheduled":3}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Complete","status":"True"}]}}""", ResourceState.Ready)]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}}""", ResourceState.Failed)]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Complete","status":"False"}]}}""", ResourceState.Applying)]
    [InlineData("""{"kind":"ConfigMap","data":{}}""", ResourceState.Ready)]
    public void Evaluate_BuiltInRules(string observed, ResourceState expected)
    {
        var (state, _) = Readiness.Evaluate((JsonObject)JsonNode.Parse(observed)!, [], TemplateEnvironment.Engine);
        Assert.Equal(expected, state);
    }

    [Theory]
    [InlineData("${self.status.phase == 'Bound'}", ResourceState.Ready, "")]
    [InlineData("${self.status.phase == 'Pending'}", ResourceState.Applying, "waiting: readyWhen ${self.status.phase == 'Pending'} is false")]
    [InlineData("${self.status.missing == 1}", ResourceState.Applying, "waiting: readyWhen ${self.status.missing == 1}: ")]
    [InlineData("${self.status.phase}", ResourceState.Applying, "waiting: readyWhen ${self.status.phase} is \"Bound\"")]
    [InlineData("phase ${self.status.phase}", ResourceState.Failed, "readyWhen phase ${self.status.phase}: not a single ${...} expression")]
    public void Evaluate_ReadyWhen_OverSelf(string condition, ResourceState expected, string messageStart)
    {
        var observed = (JsonObject)JsonNode.Parse("""{"kind":"PersistentVolumeClaim","status":{"phase":"Bound"}}""")!;

        var (state, message) = Readiness.Evaluate(observed, [condition], TemplateEnvironment.Engine);

        Assert.Equal(expected, state);
        Assert.StartsWith(messageStart, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReadyWhen_OverridesTheBuiltInRule()
    {
        var observed = (JsonObject)JsonNode.Parse("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":3},"status":{"observedGeneration":1,"availableReplicas":1}}""")!;

        var (state, _) = Readiness.Evaluate(observed, ["${self.status.availableReplicas >= 1}"], TemplateEnvironment.Engine);

        Assert.Equal(ResourceState.Ready, state);
    }
}
