using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>The git driver's flags: defaults, what is made of each, and the one error a bad or misplaced one gives.</summary>
public sealed class AgentGitFlagsTests
{
    private static readonly string[] Git = ["--hub", "http://127.0.0.1:7400", "--insecure", "--name", "a1", "--driver", "git"];

    public static TheoryData<string[], string> BadValues => new()
    {
        { [], "--repo is required with --driver git" },
        { ["--repo", ""], "--repo: the repository is empty" },
        { ["--repo", "--upload-pack=evil"], "--repo: '--upload-pack=evil' starts with '-'" },
        { ["--repo", "ext::sh -c evil"], "--repo: the ext:: transport runs commands" },
        { ["--repo", "/srv/fleet.git", "--branch", "-x"], "--branch: '-x' is not a branch name" },
        { ["--repo", "/srv/fleet.git", "--branch", "a..b"], "--branch: 'a..b' is not a branch name" },
        { ["--repo", "/srv/fleet.git", "--branch", "a b"], "--branch: 'a b' is not a branch name" },
        { ["--repo", "/srv/fleet.git", "--path", "../outside"], "--path: '../outside' escapes the root through a '..' segment" },
        { ["--repo", "/srv/fleet.git", "--path", "/etc"], "--path: '/etc' is absolute" },
        { ["--repo", "/srv/fleet.git", "--path", "x/.git/hooks"], "--path: 'x/.git/hooks' names the repository's .git directory" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Parse_BadGitValue_IsOneErrorNamingTheFlag(string[] extra, string expected)
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. Git, .. extra]);

        Assert.Null(options);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--repo", "/srv/fleet.git")]
    [InlineData("--branch", "main")]
    [InlineData("--path", "clusters")]
    public void Parse_GitFlagWithAnotherDriver_IsRefused(string flag, string value)
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. CommandLines.Plaintext, flag, value]);

        Assert.Null(options);
        Assert.Equal("--repo, --branch and --path apply to --driver git only", Assert.Single(errors));
    }

    [Fact]
    public void Parse_GitDefaults_BranchMainAndTheTargetsNameAsDirectory()
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. Git, "--repo", "fleet.git"]);

        Assert.Empty(errors);
        Assert.Equal((Path.GetFullPath("fleet.git"), "main", "a1"), (options!.Git!.Repository, options.Git.Branch, options.Git.Directory));
    }

    [Theory]
    [InlineData("https://git.example.com/platform/fleet.git", "https://git.example.com/platform/fleet.git")]
    [InlineData("git@git.example.com:platform/fleet.git", "git@git.example.com:platform/fleet.git")]
    public void Parse_RepositoryUrl_IsKeptAsGiven(string repo, string expected)
    {
        var (options, _, _) = AgentCommandLine.Parse([.. Git, "--repo", repo, "--branch", "release/prod", "--path", "clusters/prod/"]);

        Assert.Equal((expected, "release/prod", "clusters/prod"), (options!.Git!.Repository, options.Git.Branch, options.Git.Directory));
    }

    [Fact]
    public void Parse_PathDot_IsTheRepositorysTop()
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. Git, "--repo", "/srv/fleet.git", "--path", "."]);

        Assert.Empty(errors);
        Assert.Equal(".", options!.Git!.Directory);
    }
}
