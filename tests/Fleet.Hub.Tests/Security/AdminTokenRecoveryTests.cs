using System.Globalization;
using Fleet.Hub.Hosting;
using Fleet.Hub.Tests.Hosting;
using Fleet.Hub.Tests.Storage;
using Microsoft.Extensions.Logging;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// A first start that cannot write admin.token must not lock everyone out: it fails, and the next good
/// start writes an admin token that works (before, the token was stored first and every later start
/// said "admin.token is absent; the admin tokens created before remain valid" while no one held one).
/// </summary>
public sealed class AdminTokenRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task FirstStart_ThatCannotWriteAdminToken_Fails_AndTheNextStartWritesAWorkingOne()
    {
        var data = Path.Combine(_directory.Path, "hub");
        var tokenPath = Path.Combine(data, "admin.token");
        var ports = FreePorts.Take(3);
        var first = HubHost.Build(
            new HubOptions { Urls = $"https://127.0.0.1:{ports[0]}", DataDirectory = data, SiloPort = ports[1], GatewayPort = ports[2] },
            logging => logging.ClearProviders());
        // A directory where the file goes, after the checks before the start: the write fails during the
        // start as a full disk or a read-only mount would.
        Directory.CreateDirectory(tokenPath);

        await Assert.ThrowsAnyAsync<Exception>(() => first.StartAsync(TestContext.Current.CancellationToken));
        await first.DisposeAsync();
        Directory.Delete(tokenPath);

        var port = FreePorts.Take(1)[0];
        await using var hub = HubProcess.Start(Args(data, port));
        await hub.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), tokenPath);
    }

    public void Dispose() => _directory.Dispose();

    private static string[] Args(string data, int port)
    {
        var ports = FreePorts.Take(2);
        return
        [
            "--data-dir", data, "--urls", $"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture),
        ];
    }
}
