using Fleet.Protocol.Admin;
using System.Security.Cryptography;
using Fleet.Hub.Hosting;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// The <c>--dashboard-url</c> listener: a Kestrel server of its own (HTTP/1.1, what browsers speak to a plain
/// server), apart from the gRPC endpoints. Its pages are a client of the hub's own admin API over loopback, so
/// the dashboard reads exactly what <c>fleet get</c> reads and every action passes the same authorization and
/// audit as the CLI's.
/// </summary>
internal sealed class DashboardServer(HubOptions options, IServiceProvider services, DashboardChanges changes, ILoggerFactory loggers) : IHostedLifecycleService
{
    private const int MaxConnections = 200;
    private const string CsrfCookie = "fleet-csrf";

    private WebApplication? _server;
    private GrpcChannel? _channel;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the hub's own server: the pages call its gRPC endpoint, whose address is known only now.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var url = options.DashboardUrl ?? throw new InvalidOperationException("the dashboard needs --dashboard-url");
        _channel = GrpcChannel.ForAddress(HubAddress());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, Hosting.Health.HealthServerLifetime>();
        var server = builder.Build();
        server.Use(SecurityHeaders);
        Map(server, new FleetAdmin.FleetAdminClient(_channel));
        await server.StartAsync(cancellationToken);
        _server = server;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(cancellationToken);
            await server.DisposeAsync();
        }

        _channel?.Dispose();
    }

    private void Map(WebApplication server, FleetAdmin.FleetAdminClient admin)
    {
        server.MapGet("/", () => Results.Redirect("/rollouts"));
        server.MapGet("/assets/{name}", (string name) => DashboardAssets.Find(name) is { } asset
            ? Results.Bytes(asset.Content, asset.ContentType)
            : Results.NotFound());
        server.MapGet("/targets", async (HttpContext context, string? selector, int? page) =>
        {
            selector ??= "";
            try
            {
                var list = await admin.ListTargetsAsync(new ListRequest { Selector = selector }, cancellationToken: context.RequestAborted);
                return PageResult("Targets", TargetsPage.Body(list.Items, selector, page ?? 1, null));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                return PageResult("Targets", TargetsPage.Body([], selector, 1, e.Status.Detail), StatusCodes.Status400BadRequest);
            }
        });
        server.MapGet("/targets/{name}", async (HttpContext context, string name) =>
        {
            try
            {
                var target = await admin.GetTargetAsync(new GetRequest { Name = name }, cancellationToken: context.RequestAborted);
                return PageResult($"Target {target.Name}", TargetsPage.Detail(target));
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
            {
                return PageResult("Targets", $"<p class=\"error\" role=\"alert\">{Html.Encode(e.Status.Detail)}</p>", StatusCodes.Status404NotFound);
            }
        });
        server.MapGet("/rollouts", async (HttpContext context, string? notice) =>
        {
            var list = await admin.ListRolloutsAsync(new ListRequest(), cancellationToken: context.RequestAborted);
            return PageResult("Rollouts", RolloutsPage.Body(list.Items, Csrf(context), notice));
        });
        server.MapPost("/rollouts/{id}", async (HttpContext context, string id) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!CsrfMatches(context, form["csrf"]))
            {
                return Results.Text("refused: the form is stale or did not come from this dashboard; reload the page", statusCode: StatusCodes.Status403Forbidden);
            }

            string action = form["action"].ToString();
            var request = new GetRequest { Name = id };
            try
            {
                var call = action switch
                {
                    "approve" => admin.ApproveRolloutAsync(request, cancellationToken: context.RequestAborted),
                    "pause" => admin.PauseRolloutAsync(request, cancellationToken: context.RequestAborted),
                    "resume" => admin.ResumeRolloutAsync(request, cancellationToken: context.RequestAborted),
                    "abort" => admin.AbortRolloutAsync(request, cancellationToken: context.RequestAborted),
                    _ => null,
                };
                if (call is null)
                {
                    return Results.Text($"unknown action '{action}' (one of {string.Join(", ", RolloutsPage.Actions)})", statusCode: StatusCodes.Status400BadRequest);
                }

                var rollout = await call;
                changes.Publish("rollout");
                return Results.Redirect($"/rollouts?notice={Html.Query($"{action}: rollout {rollout.Id} is {StateText.Text(StateNames.Of(rollout.Phase))}")}");
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
            {
                return Results.Redirect($"/rollouts?notice={Html.Query($"{action} refused: {e.Status.Detail}")}");
            }
        });
        server.MapGet("/events", (HttpContext context) => Results.ServerSentEvents(changes.StreamAsync(context.RequestAborted), eventType: "change"));
    }

    private IResult PageResult(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content(DashboardLayout.Page(title, title, options.Insecure, body), "text/html; charset=utf-8", statusCode: status);

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next();
    }

    /// <summary>Double-submit CSRF token: a random cookie the page repeats in every form; another site can read neither.</summary>
    private static string Csrf(HttpContext context)
    {
        if (context.Request.Cookies[CsrfCookie] is { Length: 43 } existing)
        {
            return existing;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        context.Response.Cookies.Append(CsrfCookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/" });
        return token;
    }

    private static bool CsrfMatches(HttpContext context, string? posted) =>
        context.Request.Cookies[CsrfCookie] is { Length: 43 } cookie && posted is { Length: 43 }
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(cookie), System.Text.Encoding.ASCII.GetBytes(posted));

    /// <summary>The hub's own gRPC endpoint, on loopback when it listens on every address.</summary>
    private Uri HubAddress()
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? options.EffectiveUrls.Split(';')[0];
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri;
    }
}
