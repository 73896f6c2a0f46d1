using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>
/// One test's fleet as the built programs on loopback: a hub and agents with the files driver as processes, and
/// the CLI (in process, or as a process for the tests of the program itself) pointed at that hub, all under one temporary directory. Disposing it SIGKILLs every process it started
/// and deletes the directory, so a test leaves nothing running or on disk whatever it did or failed to do.
/// </summary>
/// <remarks>
/// What is where under <see cref="Dir"/> (tests assert on it and print the logs on failure):
/// <c>hub/</c> the hub's data (with <c>ca.crt</c> and <c>admin.token</c> when TLS), <c>hub.log</c>,
/// <c>agent-NAME.log</c>, <c>targets/NAME/</c> the root an agent's files are written under,
/// <c>state/NAME/</c> an agent's state directory.
/// </remarks>
internal sealed class LocalFleet : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    /// <param name="tempPrefix">Names the temporary directory after the test class, to tell leftovers apart.</param>
    /// <param name="tls">
    /// False: the hub runs with <c>--insecure</c> (plain HTTP, no tokens), as most tests want.
    /// True: its default, secure mode; the CLI and agents trust its <see cref="Ca"/>, and the test brings tokens.
    /// </param>
    public LocalFleet(string tempPrefix, bool tls = false)
    {
        Dir = Directory.CreateTempSubdirectory(tempPrefix).FullName;
        Tls = tls;
    }

    public string Dir { get; }

    public bool Tls { get; }

    /// <summary>The hub's port, the same across restarts so that agents and the CLI find a restarted hub.</summary>
    public int Port { get; } = Programs.FreePort();

    public string Hub => $"{(Tls ? "https" : "http")}://127.0.0.1:{Port}";

    /// <summary>The hub's data directory; a restarted hub reads it again.</summary>
    public string HubData => Path.Combine(Dir, "hub");

    /// <summary>The certificate authority a TLS hub writes into its data directory on first start.</summary>
    public string Ca => Path.Combine(HubData, "ca.crt");

    /// <summary>What the CLI and agents need to reach this hub beyond its address.</summary>
    private string[] CliTrust => Tls ? ["--ca", Ca] : [];

    private string[] AgentTrust => Tls ? ["--ca", Ca] : ["--insecure"];

    /// <summary>
    /// Starts a hub on <see cref="Hub"/> and <see cref="HubData"/>. Calling it again after killing the last one
    /// restarts the hub on the same data; its cluster ports are fresh, since the killed one's may linger.
    /// </summary>
    public Process StartHub()
    {
        List<string> args = Tls ? [] : ["--insecure"];
        args.AddRange(["--urls", Hub, "--data-dir", HubData, "--silo-port", Programs.FreePort().ToString(), "--gateway-port", Programs.FreePort().ToString()]);
        return Track(Programs.Start(Programs.Hub, args, Path.Combine(Dir, "hub.log")));
    }

    /// <summary>Starts an agent named <paramref name="name"/> with these <c>key=value</c> labels.</summary>
    public Process StartAgent(string name, params string[] labels) => StartAgent(name, labels, []);

    /// <param name="more">Further arguments a test needs, e.g. <c>--token-file</c> to enroll with a TLS hub.</param>
    public Process StartAgent(string name, IEnumerable<string> labels, IEnumerable<string> more)
    {
        var args = new List<string> { "--hub", Hub };
        args.AddRange(AgentTrust);
        args.AddRange(["--name", name, "--driver", "files", "--root", Path.Combine(Dir, "targets", name), "--state-dir", Path.Combine(Dir, "state", name)]);
        foreach (var label in labels)
        {
            args.AddRange(["--label", label]);
        }

        args.AddRange(more);
        return Track(Programs.Start(Programs.Agent, args, Path.Combine(Dir, $"agent-{name}.log")));
    }

    /// <summary>Runs the CLI against this hub to completion, in process (see <see cref="InProcess"/>).</summary>
    public Task<(int Exit, string Out, string Err)> Cli(params string[] args) => InProcess.Fleet(["--hub", Hub, .. CliTrust, .. args]);

    /// <summary>Runs the built CLI program against this hub to completion, as a process of its own.</summary>
    public Task<(int Exit, string Out, string Err)> CliProcess(params string[] args) => Programs.Fleet(["--hub", Hub, .. CliTrust, .. args]);

    /// <summary>Whether the hub answers the CLI yet. A TLS hub wants a token too, so TLS tests ask with their own.</summary>
    public async Task<bool> HubAnswers() => (await Cli("get", "targets", "-o", "json")).Exit == 0;

    /// <summary>How many targets the hub has connected, or -1 while it does not answer.</summary>
    public async Task<int> ConnectedTargets()
    {
        var (exit, stdout, _) = await Cli("get", "targets", "-o", "json");
        return exit != 0 ? -1 : JsonDocument.Parse(stdout).RootElement.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("connected").GetBoolean());
    }

    /// <summary>Applies YAML from a file of its own and fails the test, with the CLI's output, unless it exits 0.</summary>
    public async Task Apply(string yaml)
    {
        var file = await Write($"apply-{Guid.NewGuid():N}.yaml", yaml);
        var (exit, stdout, stderr) = await Cli("apply", "-f", file);
        Assert.True(exit == 0, $"apply failed ({exit}): {stdout}{stderr}");
    }

    /// <summary>Writes a file under <see cref="Dir"/> and returns its path, for tests that assert on the path the CLI reports.</summary>
    public async Task<string> Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>Where an agent's files driver puts <paramref name="path"/> for <paramref name="target"/>.</summary>
    public string TargetFile(string target, string path) => Path.Combine(Dir, "targets", target, path);

    /// <summary>
    /// Waits as <see cref="Eventually"/> does; a timeout shows the end of every process's log, since the cause is usually
    /// there. The bound is longer than the default because these start real dotnet processes on a loaded machine, and a
    /// poll often runs the CLI, so polls are further apart.
    /// </summary>
    public Task WaitFor(Func<Task<bool>> condition, string what) =>
        Eventually.Holds(condition, what, TimeSpan.FromSeconds(90), LogTails, TimeSpan.FromMilliseconds(200));

    public Task WaitFor(Func<bool> condition, string what) => WaitFor(() => Task.FromResult(condition()), what);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await Programs.KillHard(process);
            process.Dispose();
        }

        Directory.Delete(Dir, recursive: true);
    }

    private Process Track(Process process)
    {
        _processes.Add(process);
        return process;
    }

    private string LogTails() =>
        string.Join("\n", Directory.EnumerateFiles(Dir, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));
}
