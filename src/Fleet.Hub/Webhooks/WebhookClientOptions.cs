namespace Fleet.Hub.Webhooks;

/// <summary>How the hub calls webhooks: from <c>--allow-http-webhooks</c>; the first retry's delay (doubled each time, with jitter).</summary>
internal sealed record WebhookClientOptions(bool AllowHttp, TimeSpan RetryDelay)
{
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(500);
}
