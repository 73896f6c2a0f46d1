using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Admin;

/// <summary>
/// A capability's <c>spec.validations</c> through the hub (SPEC §7): <c>fleet apply</c> refuses every violation it can know
/// (each at the rule's FILE:LINE:COLUMN, with the target or Instance and resource) and stores nothing; a target that joins
/// later and breaks a rule is Failed with the rule's message.
/// </summary>
public sealed class ValidationApplyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The resourceRules are on lines 15 and 17, the rule over inputs on line 19 (column 21 and 13 are where the values start).
    private const string Capability = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata: { name: app }
        spec:
          inputs:
            replicas: integer | default=1
          placement:
            selector: { matchLabels: { env: dev } }
          resources:
            - id: conf
              file: { path: "etc/app-${instance.name}.conf", content: "port=${target.labels.port}" }
            - id: note
              file: { path: "etc/note-${instance.name}", content: "x${inputs.replicas}" }
          validations:
            - resourceRule: ${resource.id != 'conf' || self.content != 'port=22'}
              message: no ssh port
            - resourceRule: ${self.content.size() < 3}
              message: content too long
            - rule: ${inputs.replicas <= 5}
              message: replicas must be at most 5
        """;

    private static string Instance(long replicas) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Instance
        metadata: { name: i1 }
        spec:
          capability: app
          inputs: { replicas: {{replicas}} }
        """;

    private static ApplyAllRequest Request(params string[] documents)
    {
        var request = new ApplyAllRequest();
        request.Documents.Add(documents.Select((yaml, i) => new ApplyRequest { Source = $"doc-{i}.yaml", Yaml = yaml, FirstLine = 1 }));
        return request;
    }

    [Fact]
    public async Task ApplyAll_ViolationsOnTwoTargetsAndAnInstance_ListsEveryOneAtItsRuleAndStoresNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "env=dev", "port=22");
        fleet.StartAgent("t2", "env=dev", "port=8080");
        await fleet.WaitForConnectedAsync(2);

        var response = await fleet.Admin.ApplyAllAsync(Request(Capability, Instance(9)), cancellationToken: Cancel);

        Assert.Empty(response.Results);
        Assert.Equal(
            [
                "doc-0.yaml:15:21 no ssh port (target t1, resource conf)",
                "doc-0.yaml:17:21 content too long (target t1, resource conf)",
                "doc-0.yaml:17:21 content too long (target t2, resource conf)",
                "doc-0.yaml:19:13 replicas must be at most 5 (instance i1)",
            ],
            response.Errors.Select(e => $"{e.Source}:{e.Line}:{e.Column} {e.Message}").Order(StringComparer.Ordinal));
        Assert.Empty(await fleet.CapabilitiesAsync());
        Assert.Empty((await fleet.Admin.ListInstancesAsync(new ListRequest(), cancellationToken: Cancel)).Items);
    }

    [Fact]
    public async Task ApplyAll_NewRevisionWhoseRuleAStoredInstanceBreaks_IsRefusedAndTheOldRevisionStays()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var relaxed = Capability.Replace("${inputs.replicas <= 5}", "${inputs.replicas <= 50}", StringComparison.Ordinal);
        var applied = await fleet.Admin.ApplyAllAsync(Request(relaxed, Instance(9)), cancellationToken: Cancel);
        Assert.Empty(applied.Errors);

        var response = await fleet.Admin.ApplyAllAsync(Request(Capability), cancellationToken: Cancel);

        var error = Assert.Single(response.Errors);
        Assert.Equal("doc-0.yaml:19:13 replicas must be at most 5 (instance i1)", $"{error.Source}:{error.Line}:{error.Column} {error.Message}");
        Assert.Equal(1, (await fleet.CapabilityAsync("app")).Revision);
    }

    [Fact]
    public async Task TargetJoiningLater_ThatBreaksAResourceRule_IsFailedWithTheRulesMessage()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var capability = Capability.Replace("self.content.size() < 3", "true", StringComparison.Ordinal);
        fleet.StartAgent("t1", "env=dev", "port=80");
        await fleet.WaitForConnectedAsync(1);
        var applied = await fleet.Admin.ApplyAllAsync(Request(capability, Instance(2)), cancellationToken: Cancel);
        Assert.Empty(applied.Errors);
        await Eventually.Holds(async () => (await fleet.TargetAsync("t1")).Capabilities.GetValueOrDefault("app/i1") is { State: TargetCapabilityState.Ready }, "app/i1 Ready on t1");
        // A target that joins later receives the stable revision, which is the new one once its rollout has finished.
        var rollout = applied.Results.Last(r => r.RolloutId.Length > 0).RolloutId;
        await Eventually.Holds(async () => (await fleet.RolloutAsync(rollout)).Phase == RolloutPhase.Succeeded, "the rollout of app/i1 Succeeded");

        fleet.StartAgent("t2", "env=dev", "port=22");
        await fleet.WaitForConnectedAsync(2);

        await Eventually.Holds(async () => (await fleet.TargetAsync("t2")).Capabilities.GetValueOrDefault("app/i1") is { State: TargetCapabilityState.Failed }, "app/i1 Failed on t2",
            diagnostics: () => fleet.TargetAsync("t2").GetAwaiter().GetResult().ToString());
        Assert.Equal("validation failed: no ssh port (resource 'conf')", (await fleet.TargetAsync("t2")).Capabilities["app/i1"].Message);
        Assert.Null(fleet.ReadTargetFile("t2", "etc/app-i1.conf"));
        Assert.Equal("port=80", fleet.ReadTargetFile("t1", "etc/app-i1.conf"));
    }
}
