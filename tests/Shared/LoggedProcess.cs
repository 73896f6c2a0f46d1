using System.Diagnostics;

namespace Fleet.Tests.Shared;

/// <summary>
/// Starts a built program (<c>dotnet PROGRAM.dll ARGS</c>) as a real process whose stdout and stderr are appended,
/// line by line, to a log file that a test may read while the process still writes it (to say what it did when an
/// assertion fails).
/// </summary>
internal static class LoggedProcess
{
    public static Process Start(string dll, IEnumerable<string> args, string logFile)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter log, string? line)
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
                // The process exited and its log was closed; a line still in flight is dropped.
            }
        }
    }
}
