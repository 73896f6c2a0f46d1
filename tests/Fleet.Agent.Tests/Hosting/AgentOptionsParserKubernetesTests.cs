using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

public sealed class AgentOptionsParserKubernetesTests : IDisposable
{
    private static readonly string[] Kubernetes = ["--hub", "http://127.0.0.1:7400", "--insecure", "--name", "c1", "--driver", "kubernetes"];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_KubernetesDriver_TakesKubeconfigContextAndForceConflicts()
    {
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\n");

        var (options, errors, _) = AgentOptionsParser.Parse([.. Kubernetes, "--kubeconfig", kubeconfig, "--context", "kind-fleet", "--force-conflicts"]);

        Assert.Empty(errors);
        Assert.Equal(("kubernetes", kubeconfig, "kind-fleet", true), (options!.Driver, options.Kubeconfig, options.KubeContext, options.ForceConflicts));
    }

    [Fact]
    public void Parse_KubernetesDriverAlone_DefaultsToInClusterThenTheUsersKubeconfig()
    {
        var (options, errors, _) = AgentOptionsParser.Parse(Kubernetes);

        Assert.Empty(errors);
        Assert.Equal((null, null, false), (options!.Kubeconfig, options.KubeContext, options.ForceConflicts));
    }

    [Fact]
    public void Parse_MissingKubeconfig_IsReported()
    {
        var (_, errors, _) = AgentOptionsParser.Parse([.. Kubernetes, "--kubeconfig", Path.Combine(_dir.Path, "absent")]);

        Assert.Contains(errors, e => e.StartsWith("--kubeconfig: ", StringComparison.Ordinal) && e.EndsWith("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_KubernetesFlagsWithAnotherDriver_AreRefused()
    {
        var (_, errors, _) = AgentOptionsParser.Parse(["--hub", "http://127.0.0.1:7400", "--insecure", "--name", "a1", "--driver", "files", "--root", "/tmp/a1", "--force-conflicts"]);

        Assert.Contains("--kubeconfig, --context and --force-conflicts apply to --driver kubernetes only", errors);
    }
}
