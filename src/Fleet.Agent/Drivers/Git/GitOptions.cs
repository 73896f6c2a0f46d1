namespace Fleet.Agent.Drivers.Git;

/// <summary>Where the git driver writes: the repository, its branch, and the directory inside it (SPEC §9).</summary>
/// <param name="Repository">A URL git understands, or an absolute path to a repository on this machine.</param>
/// <param name="Branch">The branch written to; created by the first push when the repository has none.</param>
/// <param name="Directory">'/'-separated, relative to the repository's top, <c>.</c> for the top itself.</param>
internal sealed record GitOptions(string Repository, string Branch, string Directory)
{
    /// <summary>Longest one git command may take (a fetch or push over a slow link) before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a push rejected because the branch moved is tried again on top of it.</summary>
    public int PushAttempts { get; init; } = 5;
}
