using Fleet.Hub.Security;
using Fleet.Hub.Tests.Integration;
using Fleet.Hub.Tests.Security;
using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Admin;

/// <summary>
/// Many documents applied as one request (what <c>fleet apply -f</c> sends): all are checked, then all stored or none;
/// one call, so the operator rate limit that used to stop an apply of 190 capabilities after 45 does not apply to it.
/// </summary>
public sealed class ApplyAllTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Simple(string name, string content = "hello ${target.name}") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: {{name}}
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: note
              file:
                path: etc/{{name}}.txt
                content: "{{content}}"
        """;

    /// <summary>Two files of 900 KB: 1.8 MB on every dev target.</summary>
    private static string Big(string name) => Simple(name, new string('a', 900_000)) + $$"""

                - id: two
                  file:
                    path: etc/{{name}}-two.txt
                    content: "{{new string('b', 900_000)}}"
            """;

    private static ApplyAllRequest Request(IEnumerable<string> documents, bool dryRun = false)
    {
        var request = new ApplyAllRequest { DryRun = dryRun };
        request.Documents.Add(documents.Select((yaml, i) => new ApplyRequest { Source = $"doc-{i:000}.yaml", Yaml = yaml, FirstLine = 1 }));
        return request;
    }

    [Fact]
    public async Task ApplyAll_190DocumentsTwoInvalid_StoresNothingAndListsEveryError()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var documents = Enumerable.Range(0, 190).Select(i => Simple($"cap-{i:000}")).ToList();
        documents[17] = Simple("cap-017", "${target.labels.env +}");
        documents[150] = documents[150].Replace("kind: Capability", "kind: Nonsense");

        var response = await fleet.Admin.ApplyAllAsync(Request(documents), cancellationToken: Cancel);

        Assert.Empty(response.Results);
        Assert.Equal(["doc-017.yaml", "doc-150.yaml"], response.Errors.Select(e => e.Source).Distinct());
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task ApplyAll_190ValidDocuments_AllStoredInOneCallDespiteTheOperatorRateLimit()
    {
        // A burst of 5 calls: applying one document per call would be refused after 5.
        await using var hub = await SecureHub.StartAsync(limits: new SecurityLimits { OperatorCallBurst = 5, OperatorCallsPerSecond = 1 });
        var admin = hub.Admin(hub.AdminToken);
        var names = Enumerable.Range(0, 190).Select(i => $"cap-{i:000}").ToList();

        var response = await admin.ApplyAllAsync(Request(names.Select(n => Simple(n))), cancellationToken: Cancel);

        Assert.Empty(response.Errors);
        Assert.Equal(names, response.Results.Select(r => r.Name));
        Assert.All(response.Results, r => Assert.Equal(("capability", 1L, "created"), (r.Kind, r.Revision, r.Outcome)));
        var stored = await admin.ListCapabilitiesAsync(new ListRequest(), cancellationToken: Cancel);
        Assert.Equal(names, stored.Items.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyAll_DryRun_ChecksEverythingAndStoresNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var response = await fleet.Admin.ApplyAllAsync(Request([Simple("one"), Simple("two")], dryRun: true), cancellationToken: Cancel);

        Assert.Empty(response.Errors);
        Assert.Equal([("one", "valid"), ("two", "valid")], response.Results.Select(r => (r.Name, r.Outcome)));
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task ApplyAll_SameObjectTwice_IsRefusedAndNothingStored()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var response = await fleet.Admin.ApplyAllAsync(Request([Simple("one"), Simple("one", "other")]), cancellationToken: Cancel);

        var error = Assert.Single(response.Errors);
        Assert.Equal(("doc-001.yaml", "metadata.name"), (error.Source, error.Field));
        Assert.StartsWith("capability/one is already defined in this input (doc-000.yaml:1)", error.Message, StringComparison.Ordinal);
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task ApplyAll_CapabilitiesThatOnlyTogetherOverflowATarget_AreRefusedTogether()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        // Each 1.8 MB fits the target; three together (5.4 MB, also more than gRPC's default 4 MiB message) do not.
        var big = Enumerable.Range(0, 3).Select(i => Big($"big-{i}")).ToList();

        var response = await fleet.Admin.ApplyAllAsync(Request(big), cancellationToken: Cancel);

        var error = Assert.Single(response.Errors);
        Assert.Equal(("doc-002.yaml", "spec.resources"), (error.Source, error.Field));
        Assert.StartsWith("target t1: its desired set would be", error.Message, StringComparison.Ordinal);
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task ApplyAll_MoreDocumentsThanTheLimit_IsRefusedWithTheLimit()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fleet.Admin.ApplyAllAsync(Request(Enumerable.Range(0, ApplyLimits.MaxDocuments + 1).Select(i => Simple($"c{i}"))), cancellationToken: Cancel));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"{ApplyLimits.MaxDocuments + 1} documents in one apply; at most {ApplyLimits.MaxDocuments} are applied together: split the input", error.Status.Detail);
        Assert.Empty(await fleet.CapabilitiesAsync());
    }
}
