using Fleet.Agent.Hosting;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// deploy/systemd/fleet-agent.service, with the example EnvironmentFile next to it: its ExecStart is a
/// command line the real agent parser accepts, its files come from its credentials, and it runs hardened
/// as an unprivileged user.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string Systemd = "deploy/systemd";

    private readonly TempDirectory _directory = new();
    private readonly DeployFiles _files;
    private readonly SystemdUnit _unit = SystemdUnit.Load(Path.Combine(Kustomize.RepositoryRoot(), Systemd, "fleet-agent.service"));

    public SystemdUnitTests() => _files = new DeployFiles(_directory.Path);

    [Fact]
    public void ExecStart_WithTheExampleEnvironment_IsAcceptedByFleetAgent()
    {
        var environment = SystemdUnit.LoadEnvironment(Path.Combine(Kustomize.RepositoryRoot(), Systemd, "fleet-agent.env"));
        Assert.Equal("/etc/fleet-agent/fleet-agent.env", _unit.Value("Service", "EnvironmentFile"));
        var words = _unit.ExecStart(environment, "/run/credentials/fleet-agent.service", "/var/lib");

        Assert.Equal("/opt/fleet-agent/fleet-agent", words[0]);
        var (options, errors, _) = AgentCommandLine.Parse(_files.Materialize(words[1..]));

        Assert.True(errors.Count == 0, string.Join('\n', errors));
        Assert.NotNull(options);
        Assert.False(options.Insecure);
        Assert.All(options.Hubs, hub => Assert.Equal("https", hub.Scheme));
        Assert.Equal(DeployFiles.EnrollmentToken, options.Token?.Value);
        Assert.Equal(_files.Map("/var/lib/fleet-agent"), options.StateDirectory);
        Assert.Equal("fleet-agent", _unit.Value("Service", "StateDirectory"));
        Assert.NotEmpty(options.Labels);
    }

    [Fact]
    public void ExecStart_Files_AreTheUnitsCredentials()
    {
        var words = _unit.ExecStart(SystemdUnit.LoadEnvironment(Path.Combine(Kustomize.RepositoryRoot(), Systemd, "fleet-agent.env")), "%CREDENTIALS%", "/var/lib");
        var credentials = _unit.Values("Service", "LoadCredential").Select(c => c.Split(':', 2)[0]).ToList();

        foreach (var flag in new[] { "--ca", "--token-file" })
        {
            var path = words[Array.IndexOf(words, flag) + 1];
            Assert.StartsWith("%CREDENTIALS%/", path, StringComparison.Ordinal);
            Assert.Contains(path["%CREDENTIALS%/".Length..], credentials);
        }

        Assert.DoesNotContain("--token", words);
    }

    [Fact]
    public void Unit_RunsHardenedAsAnUnprivilegedUser()
    {
        var user = _unit.Value("Service", "User");
        Assert.NotEqual("root", user);
        Assert.Contains($"u {user} ", File.ReadAllText(Path.Combine(Kustomize.RepositoryRoot(), Systemd, "fleet-agent.sysusers.conf")), StringComparison.Ordinal);
        Assert.Equal("yes", _unit.Value("Service", "NoNewPrivileges"));
        Assert.Equal("strict", _unit.Value("Service", "ProtectSystem"));
        Assert.Equal("on-failure", _unit.Value("Service", "Restart"));
        Assert.Equal("", _unit.Value("Service", "CapabilityBoundingSet"));
        Assert.Equal(AgentCommandLine.UsageExit.ToString(System.Globalization.CultureInfo.InvariantCulture), _unit.Value("Service", "RestartPreventExitStatus"));

        // ProtectSystem=strict makes everything read-only but what is listed: the files driver's --root must be.
        var words = _unit.ExecStart(SystemdUnit.LoadEnvironment(Path.Combine(Kustomize.RepositoryRoot(), Systemd, "fleet-agent.env")), "/c", "/s");
        Assert.Contains(words[Array.IndexOf(words, "--root") + 1], _unit.Value("Service", "ReadWritePaths").Split(' '));
    }

    public void Dispose()
    {
        _files.Dispose();
        _directory.Dispose();
    }
}
