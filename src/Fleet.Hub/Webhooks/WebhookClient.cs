using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Fleet.Hub.Webhooks;

/// <summary>
/// Calls webhooks for the hub: a signed JSON POST (<c>Fleet-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>),
/// bounded in time and in the size of the answer read, retried with exponential backoff and jitter on network errors,
/// timeouts and 5xx. Logs name the URL without credentials or query.
/// </summary>
internal sealed partial class WebhookClient
{
    public const string HttpClientName = "fleet-webhooks";
    public const string SignatureHeader = "Fleet-Signature";

    /// <summary>An answer is a small JSON object; this bounds what a wrong or hostile receiver makes the hub read.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    public const int MaxAttempts = 3;

    private readonly IHttpClientFactory _clients;
    private readonly WebhookKey _key;
    private readonly bool _allowHttp;
    private readonly ILogger<WebhookClient> _log;
    private readonly ResiliencePipeline<WebhookAnswer> _retry;

    public WebhookClient(IHttpClientFactory clients, WebhookKey key, WebhookClientOptions options, TimeProvider time, ILogger<WebhookClient> log)
    {
        _clients = clients;
        _key = key;
        _allowHttp = options.AllowHttp;
        _log = log;
        _retry = new ResiliencePipelineBuilder<WebhookAnswer> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<WebhookAnswer>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } answer && IsTransient(answer)),
            })
            .Build();
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="url"/>, each attempt at most <paramref name="timeout"/>; the
    /// answer of the last attempt. A URL the hub may not call is answered with an error and not called.
    /// </summary>
    public async Task<WebhookAnswer> PostAsync(Uri url, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (WebhookUrls.Refusal(url, _allowHttp) is { } refusal)
        {
            return new WebhookAnswer(0, "", refusal);
        }

        var signature = _key.Sign(body);
        var name = WebhookUrls.Redact(url);
        var answer = await _retry.ExecuteAsync(
            async token =>
            {
                var attempt = await Attempt(url, body, signature, timeout, token);
                if (IsTransient(attempt))
                {
                    LogAttemptFailed(name, attempt.StatusCode, attempt.Error ?? "server error");
                }

                return attempt;
            },
            cancellationToken);
        return answer;
    }

    /// <summary>Worth another try: no answer (network, timeout) or a server error; a 4xx will not change.</summary>
    private static bool IsTransient(WebhookAnswer answer) => answer.StatusCode == 0 || answer.StatusCode >= 500;

    private async ValueTask<WebhookAnswer> Attempt(Uri url, byte[] body, string signature, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(SignatureHeader, signature);
            using var response = await _clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var text = await ReadBounded(response.Content, deadline.Token);
            var status = (int)response.StatusCode;
            return text is null
                ? new WebhookAnswer(status, "", $"the answer is larger than {MaxResponseBytes / 1024} KiB")
                : new WebhookAnswer(status, text, status is >= 200 and < 300 ? null : $"answered HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAnswer(0, "", $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            // The message names host and port, never credentials: HttpClient does not put them in it.
            return new WebhookAnswer(0, "", $"cannot be reached: {e.HttpRequestError}");
        }
    }

    /// <summary>The body as UTF-8 text, or null when it is larger than <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<string?> ReadBounded(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var length = 0;
        for (int read; length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0;)
        {
            length += read;
        }

        return length > MaxResponseBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook {Url}: attempt failed ({Status}): {Error}")]
    private partial void LogAttemptFailed(string url, int status, string error);
}
