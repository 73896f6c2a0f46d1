using System.Net;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>A client of a hub's <c>--health-url</c> listener, as a probe (kubelet, a load balancer) calls it: HTTP/1.1.</summary>
internal sealed class HealthListener : IDisposable
{
    private readonly HttpClient _http;

    public HealthListener(string url)
    {
        Url = url;
        _http = new HttpClient { BaseAddress = new Uri(url), DefaultRequestVersion = HttpVersion.Version11, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Url { get; }

    /// <summary>A fresh loopback URL for a hub's options.</summary>
    public static string FreeUrl() => $"http://127.0.0.1:{LoopbackPorts.Take()}";

    public Task<(HttpStatusCode Status, string Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
