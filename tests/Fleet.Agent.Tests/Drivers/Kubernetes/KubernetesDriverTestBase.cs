using Fleet.Agent.Drivers.Kubernetes;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>
/// What every kubernetes driver test class starts from: an in-process API server and a scratch directory of its own
/// (kubeconfig, inventory), both gone after each test, and drivers against that server. Drivers are made, not kept: a
/// test that takes a new one per pass shows that what the driver holds survives a restart, from the inventory alone.
/// </summary>
public abstract class KubernetesDriverTestBase : IDisposable
{
    private protected TempDirectory Dir { get; } = new();

    private protected FakeApiServer Server { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Server.Dispose();
        Dir.Dispose();
    }

    private protected KubernetesDriver NewDriver(bool force = false, string? context = null, string token = FakeApiServer.Token) =>
        Server.NewDriver(Dir, force, context, token);

    /// <summary>The requests of one method the server has had, as "METHOD path" in order: what the driver wrote or deleted.</summary>
    protected List<string> Calls(string method) => [.. Server.Requests.Where(r => r.StartsWith(method + " ", StringComparison.Ordinal))];
}
