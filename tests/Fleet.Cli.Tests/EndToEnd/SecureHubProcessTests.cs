using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>
/// The built programs as separate processes, with the hub in its default, secure mode: TLS only,
/// tokens and roles for the CLI, one-time enrollment and mTLS for agents, an audit of the changes,
/// and no secret in any output.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SecureHubProcessTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-secure-e2e-").FullName;
    private readonly List<Process> _processes = [];
    private readonly List<string> _cliOutput = [];
    private readonly int _port = Programs.FreePort();

    private string Hub => $"https://127.0.0.1:{_port}";

    private string Ca => Path.Combine(_dir, "hub", "ca.crt");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecureByDefault_TlsOnly_RolesEnforced_AgentTokenOnce_ApplyOverMtls_ReconnectWithCertificate_Audited_NoSecretInLogs()
    {
        StartHub();
        var tokenFile = Path.Combine(_dir, "hub", "admin.token");
        await WaitFor(() => Task.FromResult(File.Exists(tokenFile)), "admin.token written");
        var admin = (await File.ReadAllTextAsync(tokenFile, Cancel)).Trim();
        await WaitFor(async () => (await Cli(admin, "get", "targets", "-o", "json")).Exit == 0, "the hub answers over TLS");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));

        // Only TLS, only with a token, only a real one.
        var plaintext = await Programs.Fleet("--hub", $"http://127.0.0.1:{_port}", "get", "targets");
        var noToken = await Cli(null, "get", "targets");
        var forged = await Cli("fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "get", "targets");
        Assert.Equal(1, plaintext.Exit);
        Assert.Equal(1, noToken.Exit);
        Assert.Contains("token", noToken.Err);
        Assert.Equal(1, forged.Exit);

        // `token create` prints the token alone on stdout.
        var agentToken = await CreateToken(admin, "agent", "--ttl", "30m");
        var viewer = await CreateToken(admin, "viewer", "--description", "dashboard");
        var operatorToken = await CreateToken(admin, "operator");

        // A viewer reads, cannot change or hand out access, and its refused apply changes nothing.
        var yaml = await WriteCapability("1");
        var viewerApply = await Cli(viewer, "apply", "-f", yaml);
        var viewerToken = await Cli(viewer, "token", "create", "--role", "admin");
        Assert.Equal(1, viewerApply.Exit);
        Assert.Contains("PermissionDenied", viewerApply.Err);
        Assert.Equal(1, viewerToken.Exit);
        Assert.Equal(0, (await Capabilities(viewer)).GetArrayLength());

        // An agent without a token is refused; with one it enrolls; the same token does not work twice.
        var untokened = StartAgent("a0", token: null);
        Assert.True(await Exited(untokened), "an agent without a token or certificate stops");
        Assert.Equal(1, untokened.ExitCode);
        var first = StartAgent("a1", agentToken);
        await WaitFor(async () => await Connected("a1", admin), "a1 enrolled and connected over mTLS");
        var second = StartAgent("a2", agentToken);
        Assert.True(await Exited(second), "an agent with a spent token stops");
        Assert.Equal(1, second.ExitCode);
        Assert.False(await Connected("a2", admin));

        // What an operator applies reaches the agent over mTLS.
        Assert.Equal(0, (await Cli(operatorToken, "apply", "-f", yaml)).Exit);
        var file = Path.Combine(_dir, "targets", "a1", "etc", "hello.txt");
        await WaitFor(() => Task.FromResult(File.Exists(file) && File.ReadAllText(file) == "hello a1 v1"), "revision 1 on a1");

        // Restarted without its token, the agent reconnects with the certificate in its state directory.
        await Programs.KillHard(first);
        StartAgent("a1", token: null);
        await WaitFor(async () => await Connected("a1", admin), "a1 reconnected with its certificate alone");
        Assert.Equal(0, (await Cli(operatorToken, "apply", "-f", await WriteCapability("2"))).Exit);
        await WaitFor(() => Task.FromResult(File.ReadAllText(file) == "hello a1 v2"), "revision 2 on a1 after the restart");

        // The audit has the applies: who, role, what, outcome.
        var audit = await Cli(admin, "audit", "--since", "1h", "-o", "json");
        Assert.Equal(0, audit.Exit);
        var entries = JsonDocument.Parse(audit.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
        var applies = entries.Where(e => e.GetProperty("method").GetString()!.EndsWith("/Apply", StringComparison.Ordinal)).ToList();
        Assert.Contains(applies, e => e.GetProperty("role").GetString() == "operator" && e.GetProperty("object").GetString() == "capability/hello"
                                       && e.GetProperty("outcome").GetString()!.StartsWith("ok", StringComparison.Ordinal));
        Assert.Contains(applies, e => e.GetProperty("role").GetString() == "viewer" && e.GetProperty("outcome").GetString() == "denied");
        Assert.Contains(entries, e => e.GetProperty("method").GetString()!.EndsWith("/Enroll", StringComparison.Ordinal) && e.GetProperty("outcome").GetString() == "Unauthenticated");

        // No secret in any log or any CLI output (other than `token create`'s own stdout).
        // Let the processes' output reach their log files.
        await Task.Delay(500, Cancel);
        var logs = string.Join('\n', Directory.GetFiles(_dir, "*.log").Select(File.ReadAllText)) + string.Join('\n', _cliOutput);
        Assert.Contains("admin.token", logs);
        foreach (var secret in new[] { admin, agentToken, viewer, operatorToken })
        {
            Assert.DoesNotContain(secret[^43..], logs);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await Programs.KillHard(process);
            process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> CreateToken(string admin, string role, params string[] more)
    {
        var (exit, stdout, stderr) = await Programs.Fleet(["--hub", Hub, "--ca", Ca, "--token", admin, "token", "create", "--role", role, .. more]);
        _cliOutput.Add(stderr);
        Assert.True(exit == 0, $"token create failed: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches(TokenShape(), lines[0]);
        return lines[0];
    }

    private async Task<(int Exit, string Out, string Err)> Cli(string? token, params string[] args)
    {
        var all = new List<string> { "--hub", Hub, "--ca", Ca };
        if (token is not null)
        {
            all.AddRange(["--token", token]);
        }

        var result = await Programs.Fleet([.. all, .. args]);
        _cliOutput.Add(result.Out);
        _cliOutput.Add(result.Err);
        return result;
    }

    private async Task<JsonElement> Capabilities(string token) =>
        JsonDocument.Parse((await Cli(token, "get", "capabilities", "-o", "json")).Out).RootElement.GetProperty("items");

    private async Task<bool> Connected(string name, string token)
    {
        var (exit, stdout, _) = await Cli(token, "get", "targets", "-o", "json");
        return exit == 0 && JsonDocument.Parse(stdout).RootElement.GetProperty("items").EnumerateArray()
            .Any(t => t.GetProperty("name").GetString() == name && t.GetProperty("connected").GetBoolean());
    }

    private async Task<string> WriteCapability(string version)
    {
        var file = Path.Combine(_dir, $"hello-{version}.yaml");
        await File.WriteAllTextAsync(file, HelloCapability.Yaml(version), Cancel);
        return file;
    }

    private void StartHub() =>
        _processes.Add(Programs.Start(Programs.Hub,
            ["--urls", Hub, "--data-dir", Path.Combine(_dir, "hub"), "--silo-port", Programs.FreePort().ToString(), "--gateway-port", Programs.FreePort().ToString()],
            Path.Combine(_dir, "hub.log")));

    private Process StartAgent(string name, string? token)
    {
        var args = new List<string>
        {
            "--hub", Hub, "--ca", Ca, "--name", name, "--driver", "files", "--label", "env=dev",
            "--root", Path.Combine(_dir, "targets", name), "--state-dir", Path.Combine(_dir, "state", name),
        };
        if (token is not null)
        {
            // From a file, as a deployment would: a token on the command line shows in the process list.
            var tokenFile = Path.Combine(_dir, $"{name}-{Guid.NewGuid():N}.token");
            File.WriteAllText(tokenFile, token);
            args.AddRange(["--token-file", tokenFile]);
        }

        var process = Programs.Start(Programs.Agent, args, Path.Combine(_dir, $"agent-{name}.log"));
        _processes.Add(process);
        return process;
    }

    private static async Task<bool> Exited(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Real processes become ready asynchronously; the bound only stops a hang.</summary>
    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Cancel);
        }

        Assert.Fail($"timed out waiting for: {what}");
    }

    [GeneratedRegex("^fleet_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenShape();
}
