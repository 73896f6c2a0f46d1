using System.Security.Cryptography;
using System.Text;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>Builds desired capabilities the way the hub sends them: hashes over the rendered resources.</summary>
internal static class Desired
{
    public static Resource File(string id, string path, string content, string mode = "") => new()
    {
        Id = id,
        Hash = Hash(id, path, content, mode),
        File = new FileResource { Path = path, Content = content, Mode = mode },
    };

    public static DesiredCapability Capability(string key, long revision, params Resource[] resources)
    {
        var desired = new DesiredCapability { Key = key, Capability = key, Revision = revision };
        desired.Resources.AddRange(resources);
        desired.Hash = Hash([.. resources.Select(r => r.Hash)]);
        return desired;
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))));
}
