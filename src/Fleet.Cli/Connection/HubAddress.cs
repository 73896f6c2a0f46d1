namespace Fleet.Cli.Connection;

/// <summary>Where the CLI talks to: <c>--hub</c>, else <c>FLEET_HUB</c>, else the documented default.</summary>
internal static class HubAddress
{
    public const string Default = "https://127.0.0.1:7400";

    public static Uri Resolve(string? flag)
    {
        var text = !string.IsNullOrWhiteSpace(flag) ? flag : Environment.GetEnvironmentVariable("FLEET_HUB");
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"hub address '{text}' is not an http:// or https:// URL");
        }

        return uri;
    }
}
