using Fleet.Hub.Tests.Postgres;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Clustering;

/// <summary>
/// Three fleet-hub processes on one private PostgreSQL form one hub (SPEC §1): six agents listing all
/// three nodes, a rollout whose accepting node is SIGKILLed mid-way, then a stop and start of every node.
/// </summary>
public sealed class ClusterFailoverTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillNodeThatAcceptedApply_RolloutCompletesOnceEverywhere_AndFullRestartLosesNothing()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var cluster = new HubCluster(database).WithNodeAddresses(3);
        foreach (var index in new[] { 0, 1, 2 })
        {
            cluster.StartNode(index);
        }

        foreach (var node in cluster.Nodes)
        {
            await cluster.WaitServingAsync(node);
        }

        var runs = Directory.CreateDirectory(Path.Combine(cluster.Dir, "runs")).FullName;
        var names = Enumerable.Range(1, 6).Select(i => $"t{i}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            // Each agent prefers another node, so every node holds streams.
            cluster.StartAgent(names[i], i % 3, ["env=prod"]);
        }

        await AllNodesSee(cluster, connected: 6, "every node sees the six agents connected");

        var accepting = cluster.Nodes[0];
        var applied = await accepting.Admin.ApplyAsync(new ApplyRequest { Source = "patch.yaml", Yaml = Patch(runs, "1.0.1"), FirstLine = 1 }, cancellationToken: Ct);
        var rollout = applied.RolloutId;
        Assert.False(string.IsNullOrEmpty(rollout), "the apply started a rollout");

        // maxUnavailable 1 and a command that takes a second per target: the rollout is under way when its node dies.
        Assert.Equal(RolloutPhase.Running, (await accepting.Admin.GetRolloutAsync(new GetRequest { Name = rollout }, cancellationToken: Ct)).Phase);
        await accepting.KillAsync();

        await Eventually.Holds(
            // Asked one after the other, nodes may straddle the last step; each must come to Succeeded.
            async () => (await Answers(cluster, async n => (await n.Admin.GetRolloutAsync(new GetRequest { Name = rollout }, cancellationToken: Ct)).Phase)).All(a => a.Answer == RolloutPhase.Succeeded),
            "the rollout succeeded, as every living node reports",
            TimeSpan.FromMinutes(2),
            cluster.Logs);
        await AllNodesSee(cluster, connected: 6, "every agent is connected to a living node");
        AssertRanOnce(runs, names, "1");
        Assert.Equal(
            await AllLivingAgree(cluster, async n => string.Join(",", (await cluster.TargetsAsync(n)).Select(t => $"{t.Name}:{string.Join(";", t.Capabilities.OrderBy(c => c.Key).Select(c => $"{c.Key}@{c.Value.Revision}:{c.Value.State}"))}").Order())),
            string.Join(",", names.Select(n => $"{n}:patch@1:Ready")));

        // A full stop and start of every node: nothing acknowledged is lost, nothing runs again.
        foreach (var node in cluster.Living.ToList())
        {
            await node.KillAsync();
        }

        foreach (var index in new[] { 0, 1, 2 })
        {
            cluster.StartNode(index);
        }

        foreach (var node in cluster.Living)
        {
            await cluster.WaitServingAsync(node);
        }

        await AllNodesSee(cluster, connected: 6, "every agent reconnected after the full restart");
        Assert.Equal(RolloutPhase.Succeeded, await AllLivingAgree(cluster, async n => (await n.Admin.GetRolloutAsync(new GetRequest { Name = rollout }, cancellationToken: Ct)).Phase));
        Assert.Equal(1, await AllLivingAgree(cluster, async n => (await n.Admin.GetCapabilityAsync(new GetRequest { Name = "patch" }, cancellationToken: Ct)).Revision));
        AssertRanOnce(runs, names, "1");
    }

    private static async Task AllNodesSee(HubCluster cluster, int connected, string what) =>
        await Eventually.Holds(
            async () =>
            {
                foreach (var node in cluster.Living)
                {
                    if ((await cluster.TargetsAsync(node)).Count(t => t.Connected) != connected)
                    {
                        return false;
                    }
                }

                return true;
            },
            what,
            TimeSpan.FromMinutes(1),
            cluster.Logs);

    /// <summary>What every living node answers, which must be one and the same.</summary>
    private static async Task<T> AllLivingAgree<T>(HubCluster cluster, Func<ClusterNode, Task<T>> ask)
    {
        var answers = await Answers(cluster, ask);
        var distinct = answers.Select(a => a.Answer).Distinct().ToList();
        Assert.True(distinct.Count == 1, "the nodes disagree: " + string.Join("; ", answers.Select(a => $"node {a.Node}: {a.Answer}")));
        return distinct[0];
    }

    private static async Task<List<(int Node, T Answer)>> Answers<T>(HubCluster cluster, Func<ClusterNode, Task<T>> ask)
    {
        var answers = new List<(int Node, T Answer)>();
        foreach (var node in cluster.Living)
        {
            answers.Add((node.Index, await ask(node)));
        }

        return answers;
    }

    private static void AssertRanOnce(string runs, IEnumerable<string> targets, string revision)
    {
        foreach (var target in targets)
        {
            var file = Path.Combine(runs, target);
            Assert.True(File.Exists(file), $"{target} never ran the patch");
            Assert.Equal([revision], File.ReadAllLines(file));
        }
    }

    private static string Patch(string runs, string version) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: patch
        spec:
          version: "{{version}}"
          placement:
            selector:
              matchLabels: { env: prod }
          rollout:
            maxUnavailable: 1
          resources:
            - id: apply
              exec:
                command: ["/bin/sh", "-c", "sleep 1; echo \"$FLEET_REVISION\" >> \"$RUNS\""]
                env: { RUNS: "{{runs}}/${target.name}" }
        """;
}
