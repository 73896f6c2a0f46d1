using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// Runs one argv to completion: no shell (arguments arrive exactly as rendered), the given environment added to the
/// agent's, stdin written and closed (never inherited: a command that reads stdin must not wait on the agent's
/// terminal), stdout and stderr captured as a tail. The command runs in a session and process group of its own
/// (started through <c>setsid</c>, which makes the command the group's leader, so its pid is the group id): at the
/// timeout, or when the agent stops waiting for it, the whole group is killed, with every process the command started
/// even if it left the process tree, because a hung job's children would otherwise outlive it and hold its resources.
/// Its own session also keeps it out of the agent's terminal signals.
/// </summary>
internal sealed class ProcessRunner(TimeProvider time, string workingDirectory)
{
    public const int TailCharacters = 2048;

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    // Lenient: a program that writes an invalid byte still gets its output reported.
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // Where setsid(1) is not installed (or not Linux), commands run in the agent's group and only their tree is killed.
    private static readonly string? s_setsid = OperatingSystem.IsLinux() ? Find("setsid") : null;

    /// <param name="started">Called with the command's pid (its process group) as soon as it runs.</param>
    public async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> argv,
        string? stdin,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<int>? started = null)
    {
        var program = argv[0];
        if (s_setsid is not null)
        {
            // Resolved here, as Process.Start would: setsid would otherwise report a missing program as its own exit code.
            if ((program.Contains('/') ? (File.Exists(program) ? Path.GetFullPath(program) : null) : Find(program)) is not { } resolved)
            {
                return new ProcessResult(null, false, "", $"{program}: no such file or program on PATH", "", "");
            }

            program = resolved;
        }

        var start = new ProcessStartInfo(s_setsid ?? program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = s_utf8,
            StandardOutputEncoding = s_utf8,
            StandardErrorEncoding = s_utf8,
        };
        if (s_setsid is not null)
        {
            start.ArgumentList.Add(program);
        }

        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return new ProcessResult(null, false, "", ex.Message, "", "");
        }

        started?.Invoke(process.Id);

        // Interleaved for the status message, where the order of events tells the story; apart for observed state,
        // where a dependent reads what a command printed (an id it created) without its diagnostics mixed in.
        var tail = new OutputTail(TailCharacters);
        var stdoutTail = new OutputTail(TailCharacters);
        var stderrTail = new OutputTail(TailCharacters);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        // The pumps run until the pipes close, not until the deadline: what was written before a kill is still read.
        var stdout = Pump(process.StandardOutput, tail, stdoutTail);
        var stderr = Pump(process.StandardError, tail, stderrTail);
        try
        {
            await WriteStdin(process, stdin, linked.Token);

            // Waiting for the pipes too: a command is done when its output is, even if a child still writes.
            await process.WaitForExitAsync(linked.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(linked.Token);
            return new ProcessResult(process.ExitCode, false, tail.ToString(), null, stdoutTail.ToString(), stderrTail.ToString());
        }
        catch (OperationCanceledException)
        {
            Kill(process);

            // A process that left the tree (setsid) may still hold a pipe; its output is not worth hanging for.
            await Task.WhenAll(stdout, stderr).WaitAsync(KillGrace).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(null, true, tail.ToString(), null, stdoutTail.ToString(), stderrTail.ToString());
        }
    }

    private static async Task WriteStdin(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
                await process.StandardInput.FlushAsync(cancellationToken);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading all of its input: its exit code says whether that was fine.
        }
    }

    private static async Task Pump(StreamReader reader, OutputTail tail, OutputTail own)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
            {
                tail.Append(buffer.AsSpan(0, read));
                own.Append(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // The pipe broke as the process was killed; what was read is what there is.
        }
    }

    /// <summary>The first executable <paramref name="name"/> on the agent's PATH, or null.</summary>
    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static void Kill(Process process)
    {
        if (s_setsid is not null)
        {
            KillGroup(process.Id);
        }

        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // It exited on its own just now.
        }
        catch (Win32Exception)
        {
            // Some child belongs to another user; the rest of the tree is gone.
        }
    }

    /// <summary>SIGKILL to the process group <paramref name="pgid"/>; one that is gone already is no error.</summary>
    public static void KillGroup(int pgid)
    {
        try
        {
            Libc.kill(-pgid, Libc.SIGKILL);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to call: the process tree is still killed.
        }
    }
}
