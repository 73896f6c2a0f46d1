using Fleet.Hub.Hosting;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The webhook key is loaded here, at build time, so a refused <c>--webhook-key-file</c> stops the hub before it
    /// serves; the HTTP client never follows redirects (a redirect could lead a signed call past the URL rules).
    /// </summary>
    public static WebApplicationBuilder AddFleetWebhooks(this WebApplicationBuilder builder, HubOptions options)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        if (options.WebhookKeyFile is null)
        {
            OwnerOnlyFiles.CreateDirectory(dataDirectory);
        }

        builder.Services.AddSingleton(WebhookKey.Load(dataDirectory, options.WebhookKeyFile));
        builder.Services.AddSingleton(new WebhookClientOptions(options.AllowHttpWebhooks, WebhookClientOptions.DefaultRetryDelay));
        builder.Services.AddHttpClient(WebhookClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });
        builder.Services.AddSingleton<WebhookClient>();
        return builder;
    }
}
