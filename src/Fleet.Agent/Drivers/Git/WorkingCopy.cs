namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// The driver's clone of the repository, in the state directory: brought onto the branch as the remote has it before
/// every converge (so what someone else pushed, an edit of our files included, is what the hooks compare with), and
/// published after it (commit, push). Commits of ours that the remote does not have yet, because a push failed or the
/// branch moved, are never lost: they are re-applied on top of the remote branch as their file changes (our
/// directory is ours; what they changed wins there), never merged, so no conflict can stop the agent.
/// </summary>
internal sealed class WorkingCopy(GitCli git, GitOptions options)
{
    private string RemoteRef => $"refs/remotes/origin/{options.Branch}";

    public string Path => git.WorkingDirectory;

    /// <summary>Creates the working copy on first use: an empty repository whose <c>origin</c> is the one to write to.</summary>
    public async Task<string?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(System.IO.Path.Combine(Path, ".git")))
        {
            // The flag may have changed since: the remote is always the one given now.
            var set = await git.RunAsync(["remote", "set-url", "origin", "--", options.Repository], cancellationToken);
            return set.Succeeded ? null : $"git remote set-url: {set.Why()}";
        }

        Directory.CreateDirectory(Path);
        foreach (var step in new[]
                 {
                     new[] { "init", "-q", "-b", options.Branch },
                     ["remote", "add", "origin", "--", options.Repository],
                 })
        {
            var result = await git.RunAsync(step, cancellationToken);
            if (!result.Succeeded)
            {
                return $"git {step[0]}: {result.Why()}";
            }
        }

        return null;
    }

    /// <summary>
    /// Fetches the branch; false in <c>Exists</c> when the remote has no such branch yet (an empty repository: the
    /// first push creates it). An unreachable remote is the error.
    /// </summary>
    public async Task<(bool Exists, string? Error)> FetchAsync(CancellationToken cancellationToken)
    {
        if (await EnsureAsync(cancellationToken) is { } error)
        {
            return (false, error);
        }

        var fetch = await git.RunAsync(["fetch", "-q", "--no-tags", "origin", $"+refs/heads/{options.Branch}:{RemoteRef}"], cancellationToken);
        if (fetch.Succeeded)
        {
            return (true, null);
        }

        // Exit code 2: the remote answered and has no such branch; anything else is the fetch's failure.
        var listed = await git.RunAsync(["ls-remote", "--exit-code", "--heads", "origin", $"refs/heads/{options.Branch}"], cancellationToken);
        if (listed.ExitCode == 2)
        {
            await git.RunAsync(["update-ref", "-d", RemoteRef], cancellationToken);
            return (false, null);
        }

        return (false, $"fetching {options.Branch} from {options.Repository}: {fetch.Why()}");
    }

    /// <summary>
    /// Fetches and puts the working copy on the remote branch, with any commits of ours it lacks re-applied on top, and
    /// nothing uncommitted left over (a crash between a write and its commit: the converge writes it again).
    /// </summary>
    public async Task<string?> SyncAsync(CancellationToken cancellationToken)
    {
        var (exists, error) = await FetchAsync(cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var head = await RevisionAsync("HEAD", cancellationToken);
        if (!exists)
        {
            // Nothing to build on: what we have (or nothing) is pushed as the branch's start.
            return head is null ? await CleanAsync(cancellationToken) : await RunAsync(["reset", "-q", "--hard", "HEAD"], cancellationToken);
        }

        if (head is null || await IsAncestorAsync(head, RemoteRef, cancellationToken))
        {
            return await RunAsync(["reset", "-q", "--hard", RemoteRef], cancellationToken);
        }

        return await ReapplyAsync(head, cancellationToken);
    }

    /// <summary>Commits every change under <paramref name="directory"/>; false when there was none.</summary>
    public async Task<(bool Committed, string? Error)> CommitAsync(string directory, string message, CancellationToken cancellationToken)
    {
        // Nothing of the directory in the tree or the index (all its files deleted and committed): nothing to add.
        var add = await git.RunAsync(["add", "-A", "--", directory], cancellationToken);
        if (!add.Succeeded && !add.Stderr.Contains("did not match any files", StringComparison.Ordinal))
        {
            return (false, $"git add: {add.Why()}");
        }

        var diff = await git.RunAsync(["diff", "--cached", "--quiet", "--", directory], cancellationToken);
        if (diff.ExitCode == 0)
        {
            return (false, null);
        }

        if (diff.ExitCode != 1)
        {
            return (false, $"git diff: {diff.Why()}");
        }

        var commit = await RunAsync(["commit", "-q", "--no-verify", "-m", message, "--", directory], cancellationToken);
        return (commit is null, commit);
    }

    /// <summary>
    /// Pushes what the remote branch lacks; a push rejected because the branch moved is tried again on top of it
    /// (fetch, re-apply) up to <see cref="GitOptions.PushAttempts"/> times. Null when the remote has all our commits.
    /// </summary>
    public async Task<string?> PushAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await RevisionAsync("HEAD", cancellationToken) is null || !await AheadAsync(cancellationToken))
            {
                return null;
            }

            var before = await RevisionAsync(RemoteRef, cancellationToken);
            var push = await git.RunAsync(["push", "-q", "--no-verify", "origin", $"HEAD:refs/heads/{options.Branch}"], cancellationToken);
            if (push.Succeeded)
            {
                // The remote-tracking ref now says what the remote has, so the next pass knows nothing is pending.
                return await RunAsync(["update-ref", RemoteRef, "HEAD"], cancellationToken);
            }

            // Moved is told by the branch itself, not by the wording of the refusal: a non-fast-forward, or a receive hook
            // that refused because someone else's push got in first. A refusal of an unmoved branch is final.
            var (_, fetchError) = await FetchAsync(cancellationToken);
            if (fetchError is not null || await RevisionAsync(RemoteRef, cancellationToken) == before)
            {
                return $"pushing to {options.Branch} of {options.Repository}: {push.Why()}";
            }

            if (attempt >= options.PushAttempts)
            {
                return $"pushing to {options.Branch} of {options.Repository}: the branch moved at each of {attempt} attempts: {push.Why()}";
            }

            if (await SyncAsync(cancellationToken) is { } syncError)
            {
                return syncError;
            }
        }
    }

    /// <summary>Whether HEAD has commits the remote branch lacks (the last fetch's view).</summary>
    public async Task<bool> AheadAsync(CancellationToken cancellationToken)
    {
        if (await RevisionAsync("HEAD", cancellationToken) is null)
        {
            return false;
        }

        if (await RevisionAsync(RemoteRef, cancellationToken) is null)
        {
            return true;
        }

        var count = await git.RunAsync(["rev-list", "--count", $"{RemoteRef}..HEAD"], cancellationToken);
        return !count.Succeeded || count.Stdout.Trim() != "0";
    }

    /// <summary>The blob id of every file under <paramref name="directory"/> on the remote branch (empty when it has none).</summary>
    public async Task<(Dictionary<string, string> Blobs, string? Error)> RemoteBlobsAsync(string directory, CancellationToken cancellationToken)
    {
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await RevisionAsync(RemoteRef, cancellationToken) is null)
        {
            return (blobs, null);
        }

        var tree = await git.RunAsync(["ls-tree", "-r", "-z", "--full-tree", RemoteRef, "--", directory], cancellationToken);
        if (!tree.Succeeded)
        {
            return (blobs, $"git ls-tree: {tree.Why()}");
        }

        // "<mode> <type> <id>\t<path>\0" per entry.
        foreach (var line in tree.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var fields = line[..tab].Split(' ');
            if (tab > 0 && fields.Length == 3 && fields[1] == "blob")
            {
                blobs[line[(tab + 1)..]] = fields[2];
            }
        }

        return (blobs, null);
    }

    /// <summary>The last commit on HEAD that changed <paramref name="directory"/>, or null when none did.</summary>
    public async Task<string?> LastCommitAsync(string directory, CancellationToken cancellationToken)
    {
        var log = await git.RunAsync(["rev-list", "-1", "HEAD", "--", directory], cancellationToken);
        return log.Succeeded && log.Stdout.Trim() is { Length: > 0 } id ? id : null;
    }

    /// <summary>The object format of the repository's ids (<c>sha1</c> or <c>sha256</c>), for blob ids computed here.</summary>
    public async Task<string> ObjectFormatAsync(CancellationToken cancellationToken)
    {
        var format = await git.RunAsync(["rev-parse", "--show-object-format"], cancellationToken);
        return format.Succeeded && format.Stdout.Trim() is { Length: > 0 } name ? name : "sha1";
    }

    /// <summary>
    /// Puts what our unpushed commits changed on top of the remote branch: the files they added or changed as they are
    /// at <paramref name="head"/>, the ones they deleted deleted, in one new commit naming the ones it replaces.
    /// </summary>
    private async Task<string?> ReapplyAsync(string head, CancellationToken cancellationToken)
    {
        var mergeBase = await git.RunAsync(["merge-base", head, RemoteRef], cancellationToken);
        // Unrelated histories (the branch was recreated): everything of ours at HEAD is re-applied.
        var from = mergeBase.Succeeded ? mergeBase.Stdout.Trim() : await EmptyTreeAsync(cancellationToken);
        var changed = await git.RunAsync(["diff", "--name-status", "-z", "--no-renames", from, head], cancellationToken);
        var subjects = await git.RunAsync(["log", "--format=%s", mergeBase.Succeeded ? $"{from}..{head}" : head], cancellationToken);
        if (!changed.Succeeded || !subjects.Succeeded)
        {
            return $"git diff: {(changed.Succeeded ? subjects : changed).Why()}";
        }

        if (await RunAsync(["reset", "-q", "--hard", RemoteRef], cancellationToken) is { } resetError)
        {
            return resetError;
        }

        var fields = changed.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var (status, path) = (fields[i], fields[i + 1]);
            var step = status == "D"
                ? ["rm", "-q", "--ignore-unmatch", "--", path]
                : new[] { "checkout", head, "--", path };
            if (await RunAsync(step, cancellationToken) is { } stepError)
            {
                return stepError;
            }
        }

        var lines = subjects.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var message = $"fleet-agent: re-applied on top of {options.Branch}\n\n{string.Join('\n', lines)}";
        var commit = await git.RunAsync(["commit", "-q", "--no-verify", "--allow-empty-message", "-m", message], cancellationToken);
        // Nothing to commit: the remote has the same content already.
        return commit.Succeeded || commit.ExitCode == 1 ? null : $"git commit: {commit.Why()}";
    }

    private async Task<string> EmptyTreeAsync(CancellationToken cancellationToken)
    {
        var tree = await git.RunAsync(["hash-object", "-t", "tree", "/dev/null"], cancellationToken);
        return tree.Stdout.Trim();
    }

    private async Task<string?> CleanAsync(CancellationToken cancellationToken)
    {
        // An unborn branch: nothing committed, whatever is in the index or the tree goes.
        var reset = await git.RunAsync(["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", "."], cancellationToken);
        var clean = await git.RunAsync(["clean", "-q", "-f", "-d", "-x"], cancellationToken);
        return reset.Succeeded && clean.Succeeded ? null : $"git clean: {(reset.Succeeded ? clean : reset).Why()}";
    }

    private async Task<bool> IsAncestorAsync(string commit, string of, CancellationToken cancellationToken) =>
        (await git.RunAsync(["merge-base", "--is-ancestor", commit, of], cancellationToken)).ExitCode == 0;

    private async Task<string?> RevisionAsync(string name, CancellationToken cancellationToken)
    {
        var parsed = await git.RunAsync(["rev-parse", "-q", "--verify", name + "^{commit}"], cancellationToken);
        return parsed.Succeeded ? parsed.Stdout.Trim() : null;
    }

    private async Task<string?> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(arguments, cancellationToken);
        return result.Succeeded ? null : $"git {arguments[0]}: {result.Why()}";
    }

    internal static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;
}
