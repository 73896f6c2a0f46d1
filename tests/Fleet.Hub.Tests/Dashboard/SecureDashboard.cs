using Fleet.Hub.Dashboard.Auth;
using Fleet.Hub.Tests.Security;
using Fleet.Hub.Tests.Storage;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>A secure hub (<see cref="SecureHub"/>) started with --dashboard-url on a free https loopback port.</summary>
internal sealed class SecureDashboard : IAsyncDisposable
{
    private readonly List<DashboardHttp> _browsers = [];
    private readonly SemaphoreSlim _agentStart = new(1, 1);
    private bool _agentStarted;
    private int _capabilities;

    private SecureDashboard(SecureHub hub, Uri url)
    {
        Hub = hub;
        Url = url;
    }

    public SecureHub Hub { get; }

    public Uri Url { get; }

    public DashboardSessions Sessions => Hub.Services.GetRequiredService<DashboardSessions>();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<SecureDashboard> StartAsync(TimeProvider? clock = null)
    {
        var url = new Uri($"https://127.0.0.1:{FreePorts.Take(1)[0]}");
        var hub = await SecureHub.StartAsync(clock, configureOptions: options => options with { DashboardUrl = url.ToString().TrimEnd('/') });
        return new SecureDashboard(hub, url);
    }

    /// <summary>A new browser: no cookies yet.</summary>
    public DashboardHttp Browser()
    {
        var browser = new DashboardHttp(Url, Hub.CaPath);
        _browsers.Add(browser);
        return browser;
    }

    /// <summary>A browser logged in with a new token of <paramref name="role"/>; the token is returned for the audit's actor.</summary>
    public async Task<(DashboardHttp Browser, string Token)> LoggedInAsync(string role, long ttlSeconds = 0)
    {
        var token = role == "admin" ? Hub.AdminToken : await Hub.CreateTokenAsync(role, ttlSeconds: ttlSeconds);
        var browser = Browser();
        using var login = await browser.LogInAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        return (browser, token);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync() =>
        (await Hub.Security(Hub.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Cancel)).Items;

    /// <summary>
    /// A new capability placed on the hub's one enrolled agent (started on first use), whose rollout waits for the
    /// approval of its only wave; its rollout id.
    /// </summary>
    public async Task<string> WaitingForApprovalAsync()
    {
        await _agentStart.WaitAsync(Cancel);
        try
        {
            if (!_agentStarted)
            {
                Hub.StartAgent(Hub.AgentOptions("d1", await Hub.CreateTokenAsync("agent"), "env=dev"));
                await Hub.WaitForConnectedAsync("d1");
                _agentStarted = true;
            }
        }
        finally
        {
            _agentStart.Release();
        }

        var name = $"gated{Interlocked.Increment(ref _capabilities)}";
        var admin = Hub.Admin(Hub.AdminToken);
        var applied = await admin.ApplyAsync(new ApplyRequest { Source = "test.yaml", FirstLine = 1, Yaml = GatedCapability(name) }, cancellationToken: Cancel);
        Assert.Empty(applied.Errors);
        await Eventually.Holds(
            async () => (await admin.GetRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel)).Phase == RolloutPhase.WaitingApproval,
            $"rollout {applied.RolloutId} of {name} waits for approval");
        return applied.RolloutId;
    }

    /// <summary>A capability on every env=dev target whose rollout's only wave waits for an approval.</summary>
    public static string GatedCapability(string name) => $$"""
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
            - id: motd
              file:
                path: etc/{{name}}
                content: "v1"
          rollout:
            waves:
              - name: all
                approval: true
        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers)
        {
            browser.Dispose();
        }

        await Hub.DisposeAsync();
        _agentStart.Dispose();
    }
}
