using System.Diagnostics;
using Fleet.Agent.Enrollment;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// The built fleet-hub program (next to this test assembly, which references the hub project) as a
/// real process: run to its exit, or started and asked over TLS whether it serves.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private HubProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "fleet-hub.dll");

    /// <summary>Everything it printed so far, stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Runs fleet-hub to its exit (60 s at most: a hub that serves instead fails the test).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"fleet-hub {string.Join(' ', args)} did not exit: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static HubProcess Start(IEnumerable<string> args) => new(Process.Start(Info(args))!);

    public int Id => _process.Id;

    /// <summary>SIGKILL, as a crash or the OOM killer ends it, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Waits until the hub answers an authenticated call over TLS, trusting only <paramref name="caPath"/>
    /// and using the token in <paramref name="tokenPath"/> (both written by the hub at its first start).
    /// </summary>
    public async Task WaitServingAsync(Uri url, string caPath, string tokenPath)
    {
        await Eventually.Holds(
            async () =>
            {
                Assert.False(_process.HasExited, $"fleet-hub exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Output}");
                if (!File.Exists(caPath) || !File.Exists(tokenPath))
                {
                    return false;
                }

                using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(caPath), null) },
                    DisposeHttpClient = true,
                });
                var token = (await File.ReadAllTextAsync(tokenPath)).Trim();
                var tokens = await new FleetSecurity.FleetSecurityClient(channel).ListTokensAsync(
                    new ListTokensRequest(),
                    new Metadata { { "authorization", $"Bearer {token}" } },
                    cancellationToken: TestContext.Current.CancellationToken);
                return tokens.Items.Count > 0;
            },
            $"fleet-hub serving on {url}",
            TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo Info(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
