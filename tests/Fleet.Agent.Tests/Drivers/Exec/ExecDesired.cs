using System.Security.Cryptography;
using System.Text;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>Exec resources as the hub sends them: shell scripts via /bin/sh, hashed over everything that runs.</summary>
internal static class ExecDesired
{
    public static Resource Sh(string id, string script, string? check = null, string? delete = null, int timeoutSeconds = 30, string? stdin = null, params (string Key, string Value)[] env)
    {
        var exec = new ExecResource { TimeoutSeconds = timeoutSeconds, Command = { "/bin/sh", "-c", script } };
        if (check is not null)
        {
            exec.Check.Add(["/bin/sh", "-c", check]);
        }

        if (delete is not null)
        {
            exec.Delete.Add(["/bin/sh", "-c", delete]);
        }

        if (stdin is not null)
        {
            exec.Stdin = stdin;
        }

        foreach (var (key, value) in env)
        {
            exec.Env[key] = value;
        }

        return new Resource { Id = id, Hash = Hash(id, exec.ToString()), Exec = exec };
    }

    public static DesiredCapability Capability(string key, long revision, params Resource[] resources)
    {
        var desired = new DesiredCapability { Key = key, Capability = key, Revision = revision };
        desired.Resources.AddRange(resources);
        desired.Hash = Hash([.. resources.Select(r => r.Hash), revision.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return desired;
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))));
}
