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
    private readonly LocalFleet _fleet = new("fleet-secure-e2e-", tls: true);
    private readonly List<string> _cliOutput = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecureByDefault_TlsOnly_RolesEnforced_AgentTokenOnce_ApplyOverMtls_ReconnectWithCertificate_Audited_NoSecretInLogs()
    {
        _fleet.StartHub();
        var tokenFile = Path.Combine(_fleet.HubData, "admin.token");
        await _fleet.WaitFor(() => File.Exists(tokenFile), "admin.token written");
        var admin = (await File.ReadAllTextAsync(tokenFile, Cancel)).Trim();
        await _fleet.WaitFor(async () => (await Cli(admin, "get", "targets", "-o", "json")).Exit == 0, "the hub answers over TLS");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));

        // Only TLS, only with a token, only a real one.
        var plaintext = await InProcess.Fleet("--hub", $"http://127.0.0.1:{_fleet.Port}", "get", "targets");
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
        await _fleet.WaitFor(async () => await Connected("a1", admin), "a1 enrolled and connected over mTLS");
        var second = StartAgent("a2", agentToken);
        Assert.True(await Exited(second), "an agent with a spent token stops");
        Assert.Equal(1, second.ExitCode);
        Assert.False(await Connected("a2", admin));

        // What an operator applies reaches the agent over mTLS.
        Assert.Equal(0, (await Cli(operatorToken, "apply", "-f", yaml)).Exit);
        var file = _fleet.TargetFile("a1", "etc/hello.txt");
        await _fleet.WaitFor(() => File.Exists(file) && File.ReadAllText(file) == "hello a1 v1", "revision 1 on a1");

        // Restarted without its token, the agent reconnects with the certificate in its state directory.
        await Programs.KillHard(first);
        StartAgent("a1", token: null);
        await _fleet.WaitFor(async () => await Connected("a1", admin), "a1 reconnected with its certificate alone");
        Assert.Equal(0, (await Cli(operatorToken, "apply", "-f", await WriteCapability("2"))).Exit);
        await _fleet.WaitFor(() => File.ReadAllText(file) == "hello a1 v2", "revision 2 on a1 after the restart");

        // The audit has the applies (one ApplyAll call each): who, role, what, outcome.
        var audit = await Cli(admin, "audit", "--since", "1h", "-o", "json");
        Assert.Equal(0, audit.Exit);
        var entries = JsonDocument.Parse(audit.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
        var applies = entries.Where(e => e.GetProperty("method").GetString()!.EndsWith("/ApplyAll", StringComparison.Ordinal)).ToList();
        Assert.Contains(applies, e => e.GetProperty("role").GetString() == "operator" && e.GetProperty("object").GetString() == "capability/hello"
                                       && e.GetProperty("outcome").GetString()!.StartsWith("ok", StringComparison.Ordinal));
        Assert.Contains(applies, e => e.GetProperty("role").GetString() == "viewer" && e.GetProperty("outcome").GetString() == "denied");
        Assert.Contains(entries, e => e.GetProperty("method").GetString()!.EndsWith("/Enroll", StringComparison.Ordinal) && e.GetProperty("outcome").GetString() == "Unauthenticated");

        // No secret in any log or any CLI output (other than `token create`'s own stdout).
        // Let the processes' output reach their log files.
        await Task.Delay(500, Cancel);
        var logs = string.Join('\n', Directory.GetFiles(_fleet.Dir, "*.log").Select(File.ReadAllText)) + string.Join('\n', _cliOutput);
        Assert.Contains("admin.token", logs);
        foreach (var secret in new[] { admin, agentToken, viewer, operatorToken })
        {
            Assert.DoesNotContain(secret[^43..], logs);
        }
    }

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();

    private async Task<string> CreateToken(string admin, string role, params string[] more)
    {
        var (exit, stdout, stderr) = await _fleet.Cli(["--token", admin, "token", "create", "--role", role, .. more]);
        _cliOutput.Add(stderr);
        Assert.True(exit == 0, $"token create failed: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches(TokenShape(), lines[0]);
        return lines[0];
    }

    private async Task<(int Exit, string Out, string Err)> Cli(string? token, params string[] args)
    {
        string[] auth = token is null ? [] : ["--token", token];
        var result = await _fleet.Cli([.. auth, .. args]);
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

    private Task<string> WriteCapability(string version) => _fleet.Write($"hello-{version}.yaml", HelloCapability.Yaml(version));

    private Process StartAgent(string name, string? token)
    {
        if (token is null)
        {
            return _fleet.StartAgent(name, "env=dev");
        }

        // From a file, as a deployment would: a token on the command line shows in the process list.
        var tokenFile = Path.Combine(_fleet.Dir, $"{name}-{Guid.NewGuid():N}.token");
        File.WriteAllText(tokenFile, token);
        return _fleet.StartAgent(name, ["env=dev"], ["--token-file", tokenFile]);
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

    [GeneratedRegex("^fleet_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenShape();
}
