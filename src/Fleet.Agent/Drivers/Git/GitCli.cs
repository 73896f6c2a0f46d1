using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// Runs the git program in one working copy: an argument list, never a shell; no system or user configuration (what the
/// agent does must not depend on the machine's gitconfig: hooks, aliases, credential helpers); never a prompt
/// (<c>GIT_TERMINAL_PROMPT=0</c>, stdin closed); the identity <c>fleet-agent</c>; every command bounded by a timeout and
/// killed with its children when it runs over or the agent stops waiting. Output is read whole: listings are parsed.
/// </summary>
internal sealed class GitCli(string workingDirectory, TimeSpan timeout)
{
    public const string Identity = "fleet-agent";

    public const string Email = "fleet-agent@fleet.invalid";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // Each flag closes a way the machine's configuration could make git run something or wait. Hooks are left alone: the
    // working copy is the agent's own (git init installs none that run), and with a repository on a path the remote's
    // receive hooks run in a child of this git, which must keep the repository owner's policy.
    private static readonly string[] s_safety =
    [
        "-c", "protocol.ext.allow=never",
        "-c", "credential.helper=",
        "-c", "core.autocrlf=false",
        "-c", "gc.auto=0",
        "-c", "commit.gpgSign=false",
    ];

    public string WorkingDirectory { get; } = workingDirectory;

    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
            StandardOutputEncoding = s_utf8,
            StandardErrorEncoding = s_utf8,
        };
        foreach (var argument in s_safety.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var environment = start.Environment;
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_ASKPASS"] = "";
        environment["SSH_ASKPASS"] = "";
        environment["GIT_SSH_COMMAND"] = environment.TryGetValue("GIT_SSH_COMMAND", out var ssh) && !string.IsNullOrEmpty(ssh) ? ssh : "ssh -o BatchMode=yes";
        environment["GIT_AUTHOR_NAME"] = Identity;
        environment["GIT_AUTHOR_EMAIL"] = Email;
        environment["GIT_COMMITTER_NAME"] = Identity;
        environment["GIT_COMMITTER_EMAIL"] = Email;
        environment["LC_ALL"] = "C";
        environment.Remove("GIT_DIR");
        environment.Remove("GIT_WORK_TREE");
        environment.Remove("GIT_INDEX_FILE");

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new GitResult(null, "", $"git could not start: {e.Message}");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new GitResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended on its own just now.
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new GitResult(null, "", $"git {arguments[0]} timed out after {timeout.TotalSeconds:0}s and was killed");
        }
    }
}
