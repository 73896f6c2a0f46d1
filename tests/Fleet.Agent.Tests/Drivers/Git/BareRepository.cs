using System.Diagnostics;

namespace Fleet.Agent.Tests.Drivers.Git;

/// <summary>
/// A real bare repository in a scratch directory (<c>git init --bare</c>), and a person's clone of it that reads the
/// branch and pushes edits the way someone using the repository would. Git runs with no system or user configuration.
/// </summary>
internal sealed class BareRepository : IDisposable
{
    public BareRepository()
    {
        Scratch = Directory.CreateTempSubdirectory("fleet-git-tests-").FullName;
        Path = System.IO.Path.Combine(Scratch, "fleet.git");
        Person = System.IO.Path.Combine(Scratch, "person");
        Run(Scratch, "init", "-q", "--bare", "-b", "main", Path);
        Run(Scratch, "init", "-q", "-b", "main", Person);
        Run(Person, "remote", "add", "origin", Path);
    }

    public string Scratch { get; }

    public string Path { get; }

    /// <summary>The person's working copy.</summary>
    public string Person { get; }

    public string StateDirectory(string name) => System.IO.Path.Combine(Scratch, name);

    /// <summary>The commit the branch is at, or null when it does not exist.</summary>
    public string? Head(string branch = "main")
    {
        var (code, output) = TryRun(Path, "rev-parse", "-q", "--verify", $"refs/heads/{branch}");
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>How many commits the branch has.</summary>
    public int Commits(string branch = "main") => Head(branch) is null ? 0 : int.Parse(Run(Path, "rev-list", "--count", branch).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every file on the branch, sorted.</summary>
    public string[] Files(string branch = "main") =>
        Head(branch) is null ? [] : [.. Run(Path, "ls-tree", "-r", "--name-only", branch).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    public string Show(string path, string branch = "main") => Run(Path, "show", $"{branch}:{path}");

    /// <summary>The latest commit's field in <c>git log</c>'s format (%an, %cn, %s, %B).</summary>
    public string Log(string format, string branch = "main") => Run(Path, "log", "-1", $"--format={format}", branch).Trim();

    /// <summary>The person fetches the branch, changes files (content, or null to delete), commits and pushes.</summary>
    public void PushEdit(string message, params (string Path, string? Content)[] edits)
    {
        Refresh();
        foreach (var (path, content) in edits)
        {
            var full = System.IO.Path.Combine(Person, path);
            if (content is null)
            {
                Run(Person, "rm", "-q", "--", path);
            }
            else
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
                Run(Person, "add", "--", path);
            }
        }

        Run(Person, "commit", "-q", "-m", message);
        Run(Person, "push", "-q", "origin", "HEAD:refs/heads/main");
    }

    /// <summary>
    /// Arms a receive hook that moves the branch to the person's commit <paramref name="commit"/> and declines the next
    /// push, as if someone else had pushed in the instant before it; later pushes pass.
    /// </summary>
    public void MoveBranchOnNextPush(string commit)
    {
        WriteHook($"""
            #!/bin/sh
            if [ ! -e "$GIT_DIR/moved" ]; then
              touch "$GIT_DIR/moved"
              unset GIT_QUARANTINE_PATH
              git update-ref refs/heads/main {commit} || exit 1
              echo "the branch moved" >&2
              exit 1
            fi
            exit 0

            """);
    }

    /// <summary>Arms a receive hook that declines every push, as a protected branch would, until <see cref="AcceptPushes"/>.</summary>
    public void DeclinePushes() => WriteHook("""
        #!/bin/sh
        echo "pushes are closed" >&2
        exit 1

        """);

    public void AcceptPushes() => File.Delete(HookPath);

    /// <summary>The person pushes a symlink at <paramref name="path"/> pointing to <paramref name="target"/>.</summary>
    public void PushSymlink(string path, string target)
    {
        Refresh();
        var full = System.IO.Path.Combine(Person, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        Run(Person, "add", "--", path);
        Run(Person, "commit", "-q", "-m", "a symlink");
        Run(Person, "push", "-q", "origin", "HEAD:refs/heads/main");
    }

    /// <summary>Whether the armed hook has declined its push.</summary>
    public bool HookFired => File.Exists(System.IO.Path.Combine(Path, "moved"));

    /// <summary>The person commits on top of the branch without pushing it there, and pushes it to another ref; its id.</summary>
    public string CommitAside(string path, string content)
    {
        Refresh();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.Combine(Person, path))!);
        File.WriteAllText(System.IO.Path.Combine(Person, path), content);
        Run(Person, "add", "--", path);
        Run(Person, "commit", "-q", "-m", "someone else's change");
        Run(Person, "push", "-q", "origin", "HEAD:refs/heads/aside");
        return Run(Person, "rev-parse", "HEAD").Trim();
    }

    public void Dispose() => Directory.Delete(Scratch, recursive: true);

    /// <summary>The person's working copy at the branch as it is (nothing, while the repository is empty).</summary>
    private void Refresh()
    {
        Run(Person, "fetch", "-q", "origin");
        if (Head() is not null)
        {
            Run(Person, "reset", "-q", "--hard", "origin/main");
        }
    }

    private string HookPath => System.IO.Path.Combine(Path, "hooks", "pre-receive");

    private void WriteHook(string script)
    {
        File.WriteAllText(HookPath, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(HookPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Run(string directory, params string[] arguments)
    {
        var (code, output) = TryRun(directory, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {code}: {output}");
    }

    private static (int Code, string Output) TryRun(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "person";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "person@example.invalid";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr.Result);
    }
}
