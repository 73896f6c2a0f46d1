using System.Globalization;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// The built fleet-hub as a real process: a bad command line or a bad file is one <c>error:</c> line and
/// exit 2 (no stack trace), and a good start serves TLS with every state and secret file owner-only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HubProgramTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("--urls", ";")]
    [InlineData("--urls", "")]
    [InlineData("--data-dir", "")]
    [InlineData("--bogus")]
    [InlineData("--silo-port", "0")]
    [InlineData("--agent-cert-ttl", "1x")]
    [InlineData("--storage", "mysql")]
    public async Task BadCommandLine_ExitsTwo_WithOneErrorLine(params string[] args)
    {
        var (exit, stdout, stderr) = await HubProcess.RunAsync(args);

        AssertOneError(exit, stdout, stderr);
    }

    [Fact]
    public async Task Help_ExitsZero_AndListsTheFlags()
    {
        var (exit, stdout, stderr) = await HubProcess.RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains("--agent-cert-ttl <DURATION>", stdout, StringComparison.Ordinal);
        Assert.Contains("[default: 11111]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectory_ThatIsAFile_ExitsTwo()
    {
        var file = Path.Combine(_directory.Path, "file");
        File.WriteAllText(file, "");

        var (exit, stdout, stderr) = await HubProcess.RunAsync(Args(file));
        var (under, _, underErr) = await HubProcess.RunAsync(Args(Path.Combine(file, "hub")));

        AssertOneError(exit, stdout, stderr);
        Assert.Contains("is a file, not a directory", stderr, StringComparison.Ordinal);
        AssertOneError(under, "", underErr);
        Assert.Contains("--data-dir", underErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin.token")]
    [InlineData("fleet.db")]
    [InlineData("ca.key")]
    public async Task OwnFile_WithADirectoryInItsPlace_ExitsTwo_BeforeAnythingStarts(string name)
    {
        var data = Path.Combine(_directory.Path, "hub");
        Directory.CreateDirectory(Path.Combine(data, name));

        var (exit, stdout, stderr) = await HubProcess.RunAsync(Args(data));

        AssertOneError(exit, stdout, stderr);
        Assert.Contains($"{name} is a directory where the hub keeps a file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCertificateAndKey_ThatAreNotPem_ExitTwo_AndKeepTheirMode()
    {
        var notPem = Path.Combine(_directory.Path, "passwd");
        File.WriteAllText(notPem, "root:x:0:0:root:/root:/bin/bash\n");
        File.SetUnixFileMode(notPem, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (exit, stdout, stderr) = await HubProcess.RunAsync([.. Args(Path.Combine(_directory.Path, "hub")), "--tls-cert", notPem, "--tls-key", notPem]);

        AssertOneError(exit, stdout, stderr);
        Assert.Contains("is not a PEM certificate", stderr, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(notPem));
    }

    [Fact]
    public async Task FirstStart_ServesTls_AndEveryStateOrSecretFileIsOwnerOnly()
    {
        var data = Path.Combine(_directory.Path, "hub");
        var port = FreePorts.Take(1)[0];
        await using var hub = HubProcess.Start(Args(data, port));

        await hub.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var file in new[] { "fleet.db", "fleet.db-wal", "fleet.db-shm", "ca.key", "server.key", "admin.token", "hub.lock", "webhook.key" })
        {
            Assert.True(File.Exists(Path.Combine(data, file)), $"{file} exists");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(data, file)));
        }

        // Only the public certificates may be read by others; no temporary file is left behind.
        Assert.Equal(
            ["admin.token", "ca.crt", "ca.key", "fleet.db", "fleet.db-shm", "fleet.db-wal", "hub.lock", "server.crt", "server.key", "webhook.key"],
            Directory.GetFileSystemEntries(data).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SecondHub_OnADataDirectoryInUse_ExitsTwo_NamingTheFirstHubsPid()
    {
        var data = Path.Combine(_directory.Path, "hub");
        var port = FreePorts.Take(1)[0];
        await using var first = HubProcess.Start(Args(data, port));
        await first.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
        var token = await File.ReadAllTextAsync(Path.Combine(data, "admin.token"), TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await HubProcess.RunAsync(Args(data));

        AssertOneError(exit, stdout, stderr);
        Assert.Contains($"another fleet-hub is using {data} (pid {first.Id})", stderr, StringComparison.Ordinal);
        // Refused before it wrote anything: the first hub's secrets are as they were.
        Assert.Equal(token, await File.ReadAllTextAsync(Path.Combine(data, "admin.token"), TestContext.Current.CancellationToken));
        await first.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
    }

    [Fact]
    public async Task DataDirectory_OfAHubKilledWithSigkill_IsUsedByTheNextHubAtOnce()
    {
        var data = Path.Combine(_directory.Path, "hub");
        var port = FreePorts.Take(1)[0];
        await using (var killed = HubProcess.Start(Args(data, port)))
        {
            await killed.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
            await killed.KillAsync();
        }

        // hub.lock is still there, with the dead hub's pid in it; only the kernel's lock counted.
        Assert.True(File.Exists(Path.Combine(data, "hub.lock")));
        var next = FreePorts.Take(1)[0];
        await using var restarted = HubProcess.Start(Args(data, next));
        await restarted.WaitServingAsync(new Uri($"https://127.0.0.1:{next}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A secure hub on free loopback ports: what is wrong in a test is only what it adds.</summary>
    private static string[] Args(string dataDirectory, int? port = null)
    {
        var ports = FreePorts.Take(2);
        return
        [
            "--data-dir", dataDirectory, "--urls", $"https://127.0.0.1:{(port ?? FreePorts.Take(1)[0]).ToString(CultureInfo.InvariantCulture)}",
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static void AssertOneError(int exit, string stdout, string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exit == 2, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }
}
