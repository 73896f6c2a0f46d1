using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// Runs one argv to completion: no shell (arguments arrive exactly as rendered), the given environment added to the
/// agent's, stdin written and closed (never inherited: a command that reads stdin must not wait on the agent's
/// terminal), stdout and stderr captured as a tail. At the timeout the process and every process it started are
/// killed, because a hung job's children would otherwise outlive it and hold its resources.
/// </summary>
internal sealed class ProcessRunner(TimeProvider time, string workingDirectory)
{
    public const int TailCharacters = 2048;

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    // Lenient: a program that writes an invalid byte still gets its output reported.
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> argv,
        string? stdin,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0])
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

    private static void Kill(Process process)
    {
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
}
