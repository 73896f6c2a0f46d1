using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fleet.Benchmarks;

/// <summary>
/// The real fleet-hub program (built with this project) as a child process, plaintext on loopback, with
/// embedded storage or, given <c>storageArguments</c>, as one node on PostgreSQL. It can be killed with SIGKILL
/// and started again on the same data and ports.
/// </summary>
internal sealed class HubProcess : IDisposable
{
    private readonly string _dll = Path.Combine(AppContext.BaseDirectory, "fleet-hub.dll");
    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();
    private Process? _process;
    private StreamWriter? _log;

    private readonly IReadOnlyList<string> _storageArguments;

    public HubProcess(string dataDirectory, string logFile, IReadOnlyList<string> storageArguments)
    {
        DataDirectory = dataDirectory;
        LogFile = logFile;
        _storageArguments = storageArguments;
        Port = FreePort();
        if (!File.Exists(_dll))
        {
            throw new BenchmarkException($"the hub program is missing: {_dll} (build tests/Fleet.Benchmarks, which builds src/Fleet.Hub)");
        }
    }

    public string DataDirectory { get; }

    public string LogFile { get; }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public int Pid => _process?.Id ?? throw new InvalidOperationException("the hub is not running");

    public bool HasExited => _process is null || _process.HasExited;

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     _dll, "--insecure", "--urls", Address.ToString().TrimEnd('/'), "--data-dir", DataDirectory,
                     "--silo-port", _siloPort.ToString(CultureInfo.InvariantCulture),
                     "--gateway-port", _gatewayPort.ToString(CultureInfo.InvariantCulture),
                 }.Concat(_storageArguments))
        {
            info.ArgumentList.Add(arg);
        }

        _log ??= new StreamWriter(LogFile, append: true) { AutoFlush = true };
        var log = _log;
        lock (log)
        {
            log.WriteLine($"==== {DateTimeOffset.Now:O} dotnet {string.Join(' ', info.ArgumentList)}");
        }

        var process = Process.Start(info) ?? throw new BenchmarkException("could not start dotnet fleet-hub.dll");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: no shutdown, no flush; only what was committed survives.</summary>
    public void KillHard()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Resident set size from /proc/PID/status (VmRSS).</summary>
    public long RssBytes()
    {
        var status = $"/proc/{Pid}/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        _process!.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>User plus system CPU time the hub has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process!.Refresh();
        return _process.TotalProcessorTime;
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no hub log)";
        }
    }

    public void Dispose()
    {
        KillHard();
        if (_log is { } log)
        {
            lock (log)
            {
                log.Dispose();
            }
        }
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The benchmark is cleaning up.
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
