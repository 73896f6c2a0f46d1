using System.Text.RegularExpressions;
using Fleet.Agent.Drivers.Files;

namespace Fleet.Agent.Hosting;

/// <summary>
/// The git driver's flags checked and put in the form the driver uses: a repository git is given as one argument after
/// <c>--</c> and never taken for an option; a branch name git accepts as a ref; a directory inside the repository that
/// can only name a place in it (the files driver's path rules) and never its <c>.git</c>.
/// </summary>
internal static partial class GitPaths
{
    public static string? RepositoryError(string? repo) =>
        string.IsNullOrWhiteSpace(repo) ? "--repo: the repository is empty"
        : repo.StartsWith('-') ? $"--repo: '{repo}' starts with '-'"
        : repo.Any(char.IsControl) ? "--repo: the repository contains a control character"
        : repo.StartsWith("ext::", StringComparison.OrdinalIgnoreCase) ? "--repo: the ext:: transport runs commands; give a URL or a path"
        : null;

    /// <summary>A URL (<c>scheme://</c>, or scp-like <c>user@host:path</c>) as given; a path made absolute, as the working copy is elsewhere.</summary>
    public static string Repository(string repo) =>
        repo.Contains("://", StringComparison.Ordinal) || ScpLike().IsMatch(repo) ? repo : Path.GetFullPath(repo);

    public static string? BranchError(string? branch) =>
        branch is not null && Branch().IsMatch(branch) && !branch.Contains("..", StringComparison.Ordinal) && !branch.Contains("//", StringComparison.Ordinal)
        && !branch.Contains("@{", StringComparison.Ordinal) && !branch.EndsWith(".lock", StringComparison.Ordinal) && !branch.EndsWith('.') && !branch.EndsWith('/')
            ? null
            : $"--branch: '{branch}' is not a branch name (letters, digits, '.', '_', '-', '/'; no '..', not starting with '-' or '/')";

    public static string? DirectoryError(string? directory)
    {
        if (directory == ".")
        {
            return null;
        }

        if (ManagedRoot.Normalize(Directory(directory ?? ""), out var normalized) is { } error)
        {
            return $"--path: '{directory}' {error}";
        }

        return normalized.Split('/').Any(s => s.Equals(".git", StringComparison.OrdinalIgnoreCase))
            ? $"--path: '{directory}' names the repository's .git directory"
            : null;
    }

    /// <summary>The directory without a trailing '/' (<c>clusters/prod/</c> is <c>clusters/prod</c>).</summary>
    public static string Directory(string directory) => directory.Length > 1 ? directory.TrimEnd('/') : directory;

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._/-]*$")]
    private static partial Regex Branch();

    [GeneratedRegex(@"^[^/:]+@[^/:]+:")]
    private static partial Regex ScpLike();
}
