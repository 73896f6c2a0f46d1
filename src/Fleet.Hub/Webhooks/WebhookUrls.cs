using System.Net;

namespace Fleet.Hub.Webhooks;

/// <summary>Which webhook URLs the hub calls, and how one is named in logs and messages.</summary>
internal static class WebhookUrls
{
    /// <summary>
    /// Why the hub will not call <paramref name="url"/>, or null: https anywhere; plain http only to loopback
    /// (the body and its signature would otherwise cross the network in clear) unless <c>--allow-http-webhooks</c>.
    /// </summary>
    public static string? Refusal(Uri url, bool allowHttp)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return $"a webhook URL must be http(s), not '{Redact(url)}'";
        }

        if (url.Scheme == "http" && !allowHttp && !IsLoopback(url))
        {
            return $"plain http webhooks go to loopback only ({Redact(url)}); use https, or start the hub with --allow-http-webhooks";
        }

        return null;
    }

    /// <summary>The URL without credentials, query or fragment (which may carry tokens): safe to log.</summary>
    public static string Redact(Uri url) =>
        url.IsAbsoluteUri ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "(relative URL)";

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
