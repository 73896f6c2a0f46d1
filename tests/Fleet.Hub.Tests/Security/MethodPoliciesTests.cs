using System.Reflection;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Storage;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Hub.Tests.Security;

/// <summary>Every gRPC method the hub has must say which role it needs: an unmapped one would be refused to all.</summary>
public sealed class MethodPoliciesTests
{
    public static TheoryData<string> ProtocolMethods()
    {
        var data = new TheoryData<string>();
        foreach (var method in AllProtocolMethods())
        {
            data.Add(method);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtocolMethods))]
    public void EveryMethodOfEveryService_HasAPolicy(string method) =>
        Assert.True(MethodPolicies.For(method) is not null, $"{method} has no entry in MethodPolicies: decide which role may call it");

    [Fact]
    public void TheProtocolHasServices_SoTheEnumerationAboveCannotPassEmpty()
    {
        var methods = AllProtocolMethods().ToList();

        Assert.Contains("/fleet.admin.v1.FleetAdmin/Apply", methods);
        Assert.Contains("/fleet.agent.v1.AgentGateway/Connect", methods);
        Assert.Contains("/fleet.security.v1.AgentEnrollment/Enroll", methods);
    }

    [Fact]
    public async Task EveryGrpcEndpointTheHubMaps_HasAPolicy()
    {
        using var directory = new TempDirectory();
        var ports = FreePorts.Take(3);
        await using var app = HubHost.Build(
            new HubOptions { Urls = $"http://127.0.0.1:{ports[0]}", DataDirectory = directory.Path, SiloPort = ports[1], GatewayPort = ports[2], Insecure = true },
            logging => logging.ClearProviders());

        var mapped = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .Select(m => m.Method.FullName)
            .Distinct()
            .ToList();

        Assert.NotEmpty(mapped);
        Assert.All(mapped, method => Assert.True(MethodPolicies.For(method) is not null, $"{method} is mapped but has no policy"));
    }

    [Fact]
    public void ReadsNeedViewer_ChangesNeedOperatorOrAdmin_AndAreAudited()
    {
        foreach (var (method, policy) in MethodPolicies.All)
        {
            if (policy.Access is MethodAccess.Viewer)
            {
                Assert.False(policy.Mutating, $"{method}: a viewer method must not change anything");
            }

            if (method.StartsWith("/fleet.security.v1.FleetSecurity/", StringComparison.Ordinal))
            {
                Assert.Equal(MethodAccess.Admin, policy.Access);
            }
        }

        Assert.True(MethodPolicies.For("/fleet.admin.v1.FleetAdmin/Apply")!.Mutating);
        Assert.Equal(MethodAccess.Operator, MethodPolicies.For("/fleet.admin.v1.FleetAdmin/Delete")!.Access);
    }

    private static IEnumerable<string> AllProtocolMethods() =>
        typeof(Fleet.Protocol.Admin.V1.FleetAdmin).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(Google.Protobuf.Reflection.ServiceDescriptor))
            .Select(p => (Google.Protobuf.Reflection.ServiceDescriptor)p!.GetValue(null)!)
            .SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"))
            .Distinct();
}
