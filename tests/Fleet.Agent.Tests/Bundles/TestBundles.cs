using System.Security.Cryptography;
using System.Text;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Bundle.V1;

namespace Fleet.Agent.Tests.Bundles;

/// <summary>Bundle contents for the tests: a desired set of files and the reports a target makes of it.</summary>
internal static class TestBundles
{
    public static DesiredSet Files(params (string Path, string Content)[] files)
    {
        var set = new DesiredSet { Hash = Hash(string.Join('+', files.Select(f => f.Path + "=" + f.Content))) };
        foreach (var (path, content) in files)
        {
            var capability = new DesiredCapability { Key = Name(path), Capability = Name(path), Revision = 1, Hash = Hash("c" + path + content) };
            capability.Resources.Add(new Resource { Id = "file", Hash = Hash("r" + path + content), File = new FileResource { Path = path, Content = content, Mode = "0644" } });
            set.Capabilities.Add(capability);
        }

        return set;
    }

    public static DesiredBundle Desired(string target, long sequence, DesiredSet? set = null) => new()
    {
        Target = target,
        Sequence = sequence,
        CreatedUnixMs = TestPki.Now.ToUnixTimeMilliseconds(),
        Desired = set ?? Files(("etc/motd", "hello")),
    };

    public static ReportBundle Report(string target, long sequence) => new()
    {
        Target = target,
        Sequence = sequence,
        ReportId = Guid.NewGuid().ToString("N"),
        CreatedUnixMs = TestPki.Now.ToUnixTimeMilliseconds(),
        Driver = "files",
        Reports = { new CapabilityReport { Key = "motd", Revision = 1, Hash = "c1", State = ResourceState.Ready } },
    };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string Name(string path) => Path.GetFileName(path).Replace('.', '-');
}
