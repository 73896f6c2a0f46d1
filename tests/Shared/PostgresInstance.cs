using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Fleet.Tests.Shared;

/// <summary>
/// One private PostgreSQL server: <c>initdb</c> into a directory of its own, <c>pg_ctl</c> on a free loopback
/// port. The recipe the hub tests' assembly server and the benchmark's server share; they differ only in the
/// server options they pass (durability off for tests, on for figures) and in what they do around it.
/// </summary>
/// <remarks>
/// <c>initdb</c> refuses to run as root, so as root the server runs as the unprivileged <c>postgres</c> user, in a
/// directory that user owns. Sockets stay in that directory; clients use TCP on loopback.
/// </remarks>
internal sealed class PostgresInstance
{
    public const string SuperUser = "fleet";
    private const string ServiceUser = "postgres";

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _options;

    private PostgresInstance(string bin, string? runAs, string root, string options)
    {
        _bin = bin;
        _runAs = runAs;
        _options = options;
        Root = root;
        Data = Path.Combine(root, "data");
    }

    /// <summary>The directory of this server: its data, its log and its sockets.</summary>
    public string Root { get; }

    public string Data { get; }

    public int Port { get; private set; }

    /// <summary>
    /// Initialises a data directory in <paramref name="root"/> (created; given to the server's user) and starts the
    /// server with <paramref name="options"/> (extra <c>-c name=value</c> settings) on a free loopback port. The
    /// directories above <paramref name="root"/> must let the server's user through (the caller's business: this
    /// never changes the mode of a directory it did not create).
    /// </summary>
    /// <exception cref="PostgresUnavailableException">no server binaries here, or no user to run them as</exception>
    public static async Task<PostgresInstance> StartAsync(string root, string options)
    {
        var bin = FindBinaries() ?? throw new PostgresUnavailableException(
            "no initdb/pg_ctl found (looked in $FLEET_PG_BIN, /usr/lib/postgresql/*/bin and PATH); install the postgresql package");
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            if (await RunAsync("id", ["-u", ServiceUser], check: false).ConfigureAwait(false) is not { ExitCode: 0 })
            {
                throw new PostgresUnavailableException($"running as root and there is no '{ServiceUser}' user to run initdb as");
            }

            runAs = ServiceUser;
        }

        Directory.CreateDirectory(root);
        if (runAs is not null)
        {
            await RunAsync("chown", [runAs, root]).ConfigureAwait(false);
        }

        var instance = new PostgresInstance(bin, runAs, root, options);
        await instance.RunPgAsync("initdb", ["-D", instance.Data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"])
            .ConfigureAwait(false);

        // A port that was free a moment ago may be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            instance.Port = LoopbackPorts.Take();
            var (exitCode, output) = await instance.StartAgainAsync().ConfigureAwait(false);
            if (exitCode == 0)
            {
                return instance;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"pg_ctl start failed (exit {exitCode}): {output}\n{await instance.ServerLogAsync().ConfigureAwait(false)}");
            }
        }
    }

    /// <summary>A connection string to <paramref name="database"/> as the superuser, over TCP on loopback.</summary>
    public NpgsqlConnectionStringBuilder ConnectionString(string database) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    };

    /// <summary>Starts the (stopped) server again, with its data, on its port. Returns pg_ctl's exit code and output.</summary>
    public Task<(int ExitCode, string Output)> StartAgainAsync() =>
        RunPgAsync("pg_ctl", [
            "-D", Data, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={Root} {_options}",
            "start"], check: false);

    /// <summary>
    /// Stops the server, keeping its data: <c>fast</c> cuts every connection at once (what an outage looks like to
    /// clients), <c>immediate</c> does not even checkpoint (the data is thrown away next).
    /// </summary>
    public Task<(int ExitCode, string Output)> StopAsync(string mode) =>
        RunPgAsync("pg_ctl", ["-D", Data, "-m", mode, "-w", "-t", "60", "stop"], check: false);

    public async Task<string> ServerLogAsync()
    {
        var log = Path.Combine(Root, "server.log");
        return File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "";
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("FLEET_PG_BIN") is { Length: > 0 } configured)
        {
            // An explicit choice is the only one: a run meant for one installation never uses another.
            return HasServerBinaries(configured) ? configured : null;
        }

        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin"))
                .ToList()
            : [];
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(HasServerBinaries);
    }

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private Task<(int ExitCode, string Output)> RunPgAsync(string program, IReadOnlyList<string> arguments, bool check = true) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, program), arguments, check)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, program), .. arguments], check);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, bool check = true)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Inside a directory that the unprivileged user may enter, not the caller's (root's) one.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
    }
}
