using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>fleet-agent's flags, parsed in process: what a good command line gives, and the one error each bad value gives.</summary>
public sealed class AgentCommandLineTests : IDisposable
{
    private const string Token = "fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly CommandLines _lines = new();

    public void Dispose() => _lines.Dispose();

    /// <summary>A bad value: the flags to change in a valid plaintext (or, with secure, https) command line, and a part of the one error.</summary>
    public static TheoryData<bool, string[], string> BadValues => new()
    {
        { false, ["--resync", "99999999999999h"], "--resync: '99999999999999h' is not a duration" },
        { false, ["--resync", "-1s"], "--resync: '-1s' is not a duration" },
        { false, ["--resync", "0s"], "--resync: 0s is out of range: from 1s to 1d" },
        { false, ["--resync", "25h"], "--resync: 25h is out of range" },
        { false, ["--resync", "soon"], "is not a duration" },
        { false, ["--resync"], "Required argument missing for option: '--resync'" },
        { false, ["--name", ""], "--name: '' is not a DNS-1123 label" },
        { false, ["--name", "UPPER"], "--name: 'UPPER' is not a DNS-1123 label" },
        { false, ["--name", "-"], "Option '--name' is required" },
        { false, ["--label", "bad"], "--label: 'bad' is not KEY=VALUE" },
        { false, ["--label", "=x"], "--label: '=x' is not KEY=VALUE" },
        { false, ["--label", "bad key=x"], "--label: 'bad key=x' is not KEY=VALUE" },
        { false, ["--bogus"], "unknown flag '--bogus'" },
        { false, ["--bogus", "x"], "unknown flag '--bogus'" },
        { false, ["--bogus=x"], "unknown flag '--bogus'" },
        { false, ["--hub", "-"], "Option '--hub' is required" },
        { false, ["--hub", "ftp://x"], "--hub: 'ftp://x' is not an http:// or https:// URL" },
        { false, ["--hub", ","], "--hub: no address given" },
        { false, ["--driver", "nosuch"], "--driver: 'nosuch' is not one of files, exec, kubernetes" },
        { false, ["--driver", "-"], "Option '--driver' is required" },
        { false, ["--root", "-"], "--root is required with --driver files" },
        { false, ["--root", "{file}"], "is a file, not a directory" },
        { false, ["--root", "{file}/sub"], "cannot be created" },
        { false, ["--state-dir", "{file}"], "--state-dir: " },
        { false, ["--state-dir", "{file}/sub/dir"], "is a file" },
        { false, ["--force-conflicts"], "--kubeconfig, --context and --force-conflicts apply to --driver kubernetes only" },
        { false, ["--driver", "kubernetes", "--kubeconfig", "{absent}"], "--kubeconfig: " },
        { false, ["--token", Token], "plaintext" },
        { false, ["--insecure", "-"], "pass --insecure" },
        { true, ["--insecure"], "--insecure talks plaintext" },
        { true, ["--ca", "{file}"], "--ca: " },
        { true, ["--ca", "{absent}"], "does not exist" },
        { true, ["--token", ""], "--token is empty" },
        { true, ["--token-file", "{absent}"], "--token-file: cannot read" },
        { true, ["--token", Token, "--token-file", "{cert}"], "give the token one way" },
        { false, ["stray"], "unexpected argument 'stray'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Parse_BadValue_IsOneErrorNamingTheFlag(bool secure, string[] changes, string expected)
    {
        var (options, errors, help) = AgentCommandLine.Parse(_lines.With(secure ? CommandLines.Secure : CommandLines.Plaintext, changes));

        Assert.Null(options);
        Assert.False(help);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NothingGiven_ReportsEveryRequiredFlag()
    {
        var (_, errors, _) = AgentCommandLine.Parse([]);

        Assert.Equal(["Option '--driver' is required.", "Option '--hub' is required.", "Option '--name' is required."], errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_ValidFlags_GivesOptionsWithDefaults()
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. CommandLines.Plaintext, "--label", "env=dev", "--label", "region=eu"]);

        Assert.Empty(errors);
        Assert.Equal(("a1", "files", "/tmp/a1", true), (options!.Name, options.Driver, options.Root, options.Insecure));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resync);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "dev", ["region"] = "eu" }, options.Labels);
        Assert.Equal(Path.Combine(".fleet", "agent-a1"), options.StateDirectory);
        Assert.Equal((null, null, null, null, false), (options.Token, options.CaFile, options.Kubeconfig, options.KubeContext, options.ForceConflicts));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("1d", 86400)]
    public void Parse_Resync_TakesTheSharedDurationGrammar(string text, double seconds)
    {
        var (options, errors, _) = AgentCommandLine.Parse(_lines.With(CommandLines.Plaintext, "--resync", text));

        Assert.Empty(errors);
        Assert.Equal(seconds, options!.Resync.TotalSeconds);
    }

    [Fact]
    public void Parse_InlineValuesAndAStateDirToCreate_AreTaken()
    {
        var state = _lines.Fill("{absent}/state");

        var (options, errors, _) = AgentCommandLine.Parse(["--hub=http://127.0.0.1:7400", "--insecure", "--name=a1", "--driver=exec", $"--state-dir={state}", "--label=env=dev"]);

        Assert.Empty(errors);
        Assert.Equal(("exec", state, "dev"), (options!.Driver, options.StateDirectory, options.Labels["env"]));
    }

    [Fact]
    public void Parse_SeveralHubs_FailsOverInGivenOrder()
    {
        var (options, _, _) = AgentCommandLine.Parse([.. CommandLines.Plaintext, "--hub", "http://127.0.0.2:7400,http://127.0.0.3:7400"]);

        Assert.Equal(["http://127.0.0.1:7400/", "http://127.0.0.2:7400/", "http://127.0.0.3:7400/"], options!.Hubs.Select(h => h.ToString()));
    }

    [Fact]
    public void Parse_KubernetesDriver_TakesKubeconfigContextAndForceConflicts()
    {
        var (options, errors, _) = AgentCommandLine.Parse(_lines.With(
            CommandLines.Plaintext, "--root", "-", "--driver", "kubernetes", "--kubeconfig", "{file}", "--context", "kind-fleet", "--force-conflicts"));

        Assert.Empty(errors);
        Assert.Equal(("kubernetes", _lines.RegularFile, "kind-fleet", true), (options!.Driver, options.Kubeconfig, options.KubeContext, options.ForceConflicts));
    }

    [Fact]
    public void Parse_HttpsHubWithTokenAndCa_IsAccepted_AndTheTokenNeverPrints()
    {
        var (options, errors, _) = AgentCommandLine.Parse(_lines.With(CommandLines.Secure, "--token", Token, "--ca", "{cert}"));

        Assert.Empty(errors);
        Assert.Equal((Token, _lines.Certificate), (options!.Token!.Value, options.CaFile));
        Assert.DoesNotContain(Token, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TokenFile_IsReadAndTrimmed()
    {
        var file = _lines.Fill("{absent}");
        File.WriteAllText(file, Token + "\n");

        var (options, errors, _) = AgentCommandLine.Parse(_lines.With(CommandLines.Secure, "--token-file", file));

        Assert.Empty(errors);
        Assert.Equal(Token, options!.Token!.Value);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_IsHelpEvenWithoutTheRequiredFlags(string flag)
    {
        var (options, errors, help) = AgentCommandLine.Parse([flag]);

        Assert.Equal((true, null), (help, options));
        Assert.Empty(errors);
    }

    [Fact]
    public void WriteHelp_ListsEveryFlagWithItsDefault()
    {
        using var output = new StringWriter();
        AgentCommandLine.WriteHelp(output);
        var lines = output.ToString().Split('\n');

        foreach (var flag in new AgentFlags().All)
        {
            var line = Assert.Single(lines, l => l.TrimStart().StartsWith(flag.Name + " ", StringComparison.Ordinal));
            Assert.True(flag.Required ? line.Contains("(REQUIRED)", StringComparison.Ordinal) : line.Contains("(default", StringComparison.Ordinal) || line.Contains("(required with", StringComparison.Ordinal), line);
        }

        Assert.Contains(lines, l => l.Contains("--resync <DURATION>", StringComparison.Ordinal) && l.Contains("(default: 30s)", StringComparison.Ordinal));
    }
}
