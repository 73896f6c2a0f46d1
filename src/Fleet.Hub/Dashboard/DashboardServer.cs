using System.Net.Security;
using Fleet.Hub.Dashboard.Auth;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Protocol.Admin;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
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
/// audit as the CLI's: each call carries the session's token in its metadata exactly as the CLI sends it. On a
/// secure hub the listener serves TLS with the hub's own serving certificate and every page needs a login
/// (<see cref="SessionGate"/>).
/// </summary>
internal sealed class DashboardServer(HubOptions options, IServiceProvider services, DashboardChanges changes, ILoggerFactory loggers) : IHostedLifecycleService
{
    private const int MaxConnections = 200;

    private WebApplication? _server;
    private GrpcChannel? _channel;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the hub's own server: the pages call its gRPC endpoint, whose address is known only now.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var url = options.DashboardUrl ?? throw new InvalidOperationException("the dashboard needs --dashboard-url");
        _channel = HubChannel();
        var gate = new SessionGate(services.GetRequiredService<DashboardSessions>(), services.GetRequiredService<OperatorTokenCheck>(), options.Insecure);
        var login = new DashboardLogin(services.GetRequiredService<DashboardSessions>(), services.GetRequiredService<OperatorTokenCheck>(), gate);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        if (!options.Insecure)
        {
            // The slim builder leaves https:// addresses out unless asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1);
            if (!options.Insecure)
            {
                // The certificate (and chain) the gRPC endpoint serves: what operators already trust for the hub.
                var pki = services.GetRequiredService<HubPki>();
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = pki.ServingCertificate;
                    https.ServerCertificateChain = pki.ServingChain;
                    https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                });
            }
        });
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, Hosting.Health.HealthServerLifetime>();
        var server = builder.Build();
        server.Use(SecurityHeaders);
        server.Use(gate.Invoke);
        Map(server, new FleetAdmin.FleetAdminClient(_channel), login);
        MapCapabilitiesAndAudit(server, new FleetAdmin.FleetAdminClient(_channel), new FleetSecurity.FleetSecurityClient(_channel));
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

    private void Map(WebApplication server, FleetAdmin.FleetAdminClient admin, DashboardLogin login)
    {
        server.MapGet(SessionGate.LoginPath, (HttpContext context, string? ended) => options.Insecure ? Results.Redirect("/") : login.Form(context, ended));
        server.MapPost(SessionGate.LoginPath, async (HttpContext context, CancellationToken _) => options.Insecure ? Results.Redirect("/") : await login.Submit(context));
        server.MapPost(SessionGate.LogoutPath, (HttpContext context) => options.Insecure ? Results.Redirect("/") : login.Logout(context));
        server.MapGet("/", () => Results.Redirect("/rollouts"));
        server.MapGet("/assets/{name}", (string name) => DashboardAssets.Find(name) is { } asset
            ? Results.Bytes(asset.Content, asset.ContentType)
            : Results.NotFound());
        server.MapGet("/targets", async (HttpContext context, string? selector, int? page) =>
        {
            selector ??= "";
            try
            {
                var list = await admin.ListTargetsAsync(new ListRequest { Selector = selector }, DashboardUser.Of(context).Headers, cancellationToken: context.RequestAborted);
                return PageResult(context, "Targets", TargetsPage.Body(list.Items, selector, page ?? 1, null));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                return PageResult(context, "Targets", TargetsPage.Body([], selector, 1, e.Status.Detail), StatusCodes.Status400BadRequest);
            }
        });
        server.MapGet("/targets/{name}", async (HttpContext context, string name) =>
        {
            try
            {
                var target = await admin.GetTargetAsync(new GetRequest { Name = name }, DashboardUser.Of(context).Headers, cancellationToken: context.RequestAborted);
                return PageResult(context, $"Target {target.Name}", TargetsPage.Detail(target), current: "Targets");
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
            {
                return PageResult(context, "Targets", $"<p class=\"error\" role=\"alert\">{Html.Encode(e.Status.Detail)}</p>", StatusCodes.Status404NotFound, "Targets");
            }
        });
        server.MapGet("/rollouts", async (HttpContext context, string? notice) =>
        {
            var user = DashboardUser.Of(context);
            var list = await admin.ListRolloutsAsync(new ListRequest(), user.Headers, cancellationToken: context.RequestAborted);
            return PageResult(context, "Rollouts", RolloutsPage.Body(list.Items, user.Csrf, user.MayOperate, notice));
        });
        server.MapPost("/rollouts/{id}", async (HttpContext context, string id) =>
        {
            // The session gate has checked the CSRF field. What the role may do is not checked here but by the
            // admin API, so a posted action a viewer's page never showed is refused and audited like a CLI call.
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            string action = form["action"].ToString();
            var request = new GetRequest { Name = id };
            var headers = DashboardUser.Of(context).Headers;
            try
            {
                var call = action switch
                {
                    "approve" => admin.ApproveRolloutAsync(request, headers, cancellationToken: context.RequestAborted),
                    "pause" => admin.PauseRolloutAsync(request, headers, cancellationToken: context.RequestAborted),
                    "resume" => admin.ResumeRolloutAsync(request, headers, cancellationToken: context.RequestAborted),
                    "abort" => admin.AbortRolloutAsync(request, headers, cancellationToken: context.RequestAborted),
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

    private static void MapCapabilitiesAndAudit(WebApplication server, FleetAdmin.FleetAdminClient admin, FleetSecurity.FleetSecurityClient security)
    {
        server.MapGet("/capabilities", async (HttpContext context) =>
        {
            var list = await admin.ListCapabilitiesAsync(new ListRequest(), DashboardUser.Of(context).Headers, cancellationToken: context.RequestAborted);
            return PageResult(context, "Capabilities", CapabilitiesPage.List(list.Items));
        });
        server.MapGet("/capabilities/{name}", async (HttpContext context, string name) =>
        {
            var headers = DashboardUser.Of(context).Headers;
            try
            {
                var description = await admin.DescribeCapabilityAsync(new GetRequest { Name = name }, headers, cancellationToken: context.RequestAborted);
                var instances = await admin.ListInstancesAsync(new ListRequest(), headers, cancellationToken: context.RequestAborted);
                return PageResult(context, $"Capability {name}", CapabilitiesPage.Detail(description, instances.Items), current: "Capabilities");
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
            {
                return PageResult(context, $"Capability {name}", $"<p class=\"error\" role=\"alert\">{Html.Encode(e.Status.Detail)}</p>", StatusCodes.Status404NotFound, "Capabilities");
            }
        });
        server.MapGet("/audit", async (HttpContext context, string? actor, string? action, int? page) =>
        {
            var user = DashboardUser.Of(context);
            if (!user.MayReadAudit)
            {
                // The API would refuse it too; saying so plainly beats an error page.
                return PageResult(context, "Audit", $"<p class=\"error\" role=\"alert\">The audit log is for admins: role {Html.Encode(user.RoleName)} may not read it.</p>", StatusCodes.Status403Forbidden);
            }

            (actor, action) = ((actor ?? "").Trim(), (action ?? "").Trim());
            var list = await security.ListAuditAsync(new ListAuditRequest { Limit = AuditPage.Limit(page ?? 1, actor, action) }, user.Headers, cancellationToken: context.RequestAborted);
            return PageResult(context, "Audit", AuditPage.Body(list.Items, actor, action, page ?? 1));
        });
    }

    private static IResult PageResult(HttpContext context, string title, string body, int status = StatusCodes.Status200OK, string? current = null) =>
        Results.Content(DashboardLayout.Page(title, current ?? title, DashboardUser.Of(context), body), "text/html; charset=utf-8", statusCode: status);

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next();
    }

    /// <summary>
    /// The channel to the hub's own gRPC endpoint. On a secure hub it trusts exactly the certificate this hub serves:
    /// the call goes to this process over loopback, so the one certificate to accept is known, whatever CA (the hub's or
    /// an operator's) issued it and whatever names it covers.
    /// </summary>
    private GrpcChannel HubChannel()
    {
        var address = HubAddress();
        if (options.Insecure)
        {
            return GrpcChannel.ForAddress(address);
        }

        var serving = services.GetRequiredService<HubPki>().ServingCertificate;
        var tls = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(serving.RawData),
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = tls },
            DisposeHttpClient = true,
        });
    }

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
