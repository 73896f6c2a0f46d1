using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Cli.Tests.Connection;

/// <summary>
/// A hub whose storage is full refuses a change with <c>ResourceExhausted</c> and <c>storage full: ...</c> (its own
/// classification is tested in the hub's StorageFailureTests): the CLI prints those words, exit 1, not "the hub
/// answered ResourceExhausted" nor "cannot reach the hub". The hub here is a loopback gRPC server giving that answer.
/// </summary>
public sealed class StorageFullAnswerTests
{
    private const string Detail = StorageUnavailable.FullPrefix + "SQLite Error 13: 'database or disk is full'";

    [Fact]
    public async Task Apply_HubStorageFull_PrintsStorageFullAndExitsOne()
    {
        await using var hub = await StartAsync();
        var dir = Directory.CreateTempSubdirectory("fleet-full-").FullName;
        try
        {
            var file = Path.Combine(dir, "c.yaml");
            await File.WriteAllTextAsync(file, """
                apiVersion: fleet/v1alpha1
                kind: Capability
                metadata:
                  name: hello
                spec:
                  resources:
                    - id: hello
                      file: { path: etc/hello.txt, content: hi }
                """, TestContext.Current.CancellationToken);

            var (exit, stdout, stderr) = await InProcess.Fleet("--hub", Address(hub), "apply", "-f", file);

            Assert.Equal(1, exit);
            Assert.Equal("", stdout);
            Assert.Equal($"error: {Detail}\n", stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FullHub>();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);

    private sealed class FullHub : FleetAdmin.FleetAdminBase
    {
        public override Task<ApplyAllResponse> ApplyAll(ApplyAllRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.ResourceExhausted, Detail));
    }
}
