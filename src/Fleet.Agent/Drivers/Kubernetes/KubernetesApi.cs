using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// The few REST calls the driver makes, over the connection and credentials KubernetesClient builds from a
/// kubeconfig or the in-cluster service account. Objects are handled as JSON: the driver applies arbitrary kinds,
/// CRDs included, for which no typed model exists.
/// </summary>
internal sealed class KubernetesApi : IDisposable
{
    public const string ApplyPatchContentType = "application/apply-patch+yaml";

    /// <summary>No single call may hold the reconcile loop longer than this.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly k8s.Kubernetes _client;
    private readonly HttpClient _http;

    public KubernetesApi(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // The client configures TLS (cluster CA, client certificates) on the handler it hands to this callback; the
        // driver sends its own requests through that handler, since the typed client has no calls for arbitrary kinds.
        HttpMessageHandler? handler = null;
        var setup = configuration.FirstMessageHandlerSetup;
        configuration.FirstMessageHandlerSetup = h =>
        {
            setup?.Invoke(h);
            handler = h;
        };
        _client = new k8s.Kubernetes(configuration);
        _http = new HttpClient(handler ?? throw new InvalidOperationException("KubernetesClient set up no HTTP handler"), disposeHandler: false)
        {
            Timeout = RequestTimeout,
        };
        BaseUri = _client.BaseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>The object, or null when it does not exist (404).</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject> ListAsync(string path, string labelSelector, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, $"{path}?labelSelector={Uri.EscapeDataString(labelSelector)}", null, null, cancellationToken)
        ?? [];

    /// <summary>Server-side apply under <paramref name="fieldManager"/>; <paramref name="force"/> takes fields other managers own.</summary>
    public async Task<JsonObject> ApplyAsync(string path, string json, string fieldManager, bool force, CancellationToken cancellationToken) =>
        await SendAsync(
            HttpMethod.Patch,
            $"{path}?fieldManager={Uri.EscapeDataString(fieldManager)}{(force ? "&force=true" : "")}",
            json,
            ApplyPatchContentType,
            cancellationToken) ?? [];

    /// <summary>Deletes with background propagation; a missing object is not an error.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, $"{path}?propagationPolicy=Background", null, null, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _client.Dispose();
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, path));

        // Plain http:// speaks HTTP/1.1 only: asking it for HTTP/2 would mean prior knowledge, which API servers
        // behind plain http (kubectl proxy, test servers) do not speak. Over TLS, ALPN picks HTTP/2 where offered.
        request.Version = BaseUri.Scheme == Uri.UriSchemeHttps ? HttpVersion.Version20 : HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        if (_client.Credentials is { } credentials)
        {
            // Bearer tokens (service account, kubeconfig token, exec plugins) are added per request, not by a handler.
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? node = null;
        try
        {
            node = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Proxies answer errors in HTML; the status code still says what happened.
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = node as JsonObject;
            throw new KubernetesApiException(
                response.StatusCode,
                Text(status?["reason"]) ?? response.ReasonPhrase ?? "",
                Text(status?["message"]) ?? (text.Length > 300 ? text[..300] : text));
        }

        return node as JsonObject;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
