namespace Fleet.Hub.Webhooks;

/// <summary>
/// What one webhook call gave: the status and body of the receiver's answer (at most
/// <see cref="WebhookClient.MaxResponseBytes"/>), or why there was none after every retry.
/// </summary>
internal sealed record WebhookAnswer(int StatusCode, string Body, string? Error)
{
    public bool Answered => Error is null;
}
