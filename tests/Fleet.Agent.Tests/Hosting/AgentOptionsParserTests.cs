using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

public sealed class AgentOptionsParserTests
{
    private static readonly string[] Valid = ["--hub", "http://127.0.0.1:7400", "--insecure", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"];

    [Fact]
    public void Parse_ValidFlags_GivesOptionsWithDefaults()
    {
        var (options, errors, _) = AgentOptionsParser.Parse([.. Valid, "--label", "env=dev", "--label", "region=eu"]);

        Assert.Empty(errors);
        Assert.Equal("a1", options!.Name);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resync);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "dev", ["region"] = "eu" }, options.Labels);
        Assert.Equal(Path.Combine(".fleet", "agent-a1"), options.StateDirectory);
    }

    [Fact]
    public void Parse_SeveralHubs_FailsOverInGivenOrder()
    {
        var (options, _, _) = AgentOptionsParser.Parse([.. Valid, "--hub", "http://127.0.0.2:7400,http://127.0.0.3:7400"]);

        Assert.Equal(["http://127.0.0.1:7400/", "http://127.0.0.2:7400/", "http://127.0.0.3:7400/"], options!.Hubs.Select(h => h.ToString()));
    }

    [Theory]
    [InlineData("--name", "Bad_Name", "DNS-1123")]
    [InlineData("--label", "no-equals", "KEY=VALUE")]
    [InlineData("--label", "bad key=x", "KEY=VALUE")]
    [InlineData("--resync", "soon", "duration")]
    [InlineData("--resync", "0s", "duration")]
    [InlineData("--driver", "ftp", "not one of")]
    [InlineData("--hub", "ftp://x", "not an http")]
    [InlineData("--bogus", "x", "unknown argument")]
    public void Parse_BadFlag_ReportsIt(string flag, string value, string expected)
    {
        var (options, errors, _) = AgentOptionsParser.Parse([.. Valid, flag, value]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NothingGiven_ReportsEveryMissingFlag()
    {
        var (_, errors, _) = AgentOptionsParser.Parse([]);

        Assert.Contains(errors, e => e.Contains("--hub is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--name is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--driver is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PlaintextHubWithoutInsecure_IsRefused()
    {
        var (_, errors, _) = AgentOptionsParser.Parse(["--hub", "http://127.0.0.1:7400", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"]);

        Assert.Contains(errors, e => e.Contains("--insecure", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("500ms", 0.5)]
    public void TryParseDuration_GoStyle_Parses(string text, double seconds)
    {
        Assert.True(AgentOptionsParser.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }
}
