using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>fleet-agent --import's flags, parsed in process: it needs --report-out, needs no --hub, and refuses every flag of a connection.</summary>
public sealed class ImportCommandLineTests : IDisposable
{
    private readonly CommandLines _lines = new();

    public void Dispose() => _lines.Dispose();

    private string[] Import => ["--import", "{file}", "--report-out", "{absent}", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"];

    public static TheoryData<string[], string> BadImports => new()
    {
        { ["--report-out", "-"], "--import needs --report-out REPORT" },
        { ["--import", "{absent}"], "--import: " },
        { ["--report-out", "{file}/sub"], "--report-out: the directory" },
        { ["--report-out", "{file}"], "the report would overwrite the bundle being imported" },
        { ["--hub", "http://127.0.0.1:7400"], "--hub: --import talks to no hub" },
        { ["--insecure"], "--insecure: --import talks to no hub" },
        { ["--token", "t"], "--token: --import talks to no hub" },
        { ["--ca", "{cert}"], "--ca: --import talks to no hub" },
        { ["--label", "env=dev"], "--label: --import talks to no hub" },
        { ["--resync", "1m"], "--resync: --import talks to no hub" },
        { ["--root", "-"], "--root is required with --driver files" },
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public void Parse_BadImport_IsOneError(string[] changes, string expected)
    {
        var (options, errors, _) = AgentCommandLine.Parse(_lines.With(Fill(Import), [.. changes.Select(_lines.Fill)]));

        Assert.Null(options);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Import_NeedsNoHubAndGivesBothFilesAbsolute()
    {
        var (options, errors, _) = AgentCommandLine.Parse(Fill(Import));

        Assert.Empty(errors);
        Assert.Equal((_lines.RegularFile, _lines.Absent), (options!.ImportFile, options.ReportFile));
        Assert.Empty(options.Hubs);
    }

    [Fact]
    public void Parse_ReportOutWithoutImport_IsAnError()
    {
        var (options, errors, _) = AgentCommandLine.Parse([.. CommandLines.Plaintext, "--report-out", _lines.Absent]);

        Assert.Null(options);
        Assert.Equal("--report-out goes with --import only", Assert.Single(errors));
    }

    [Fact]
    public void Parse_ReportOutADirectory_IsAnError()
    {
        var (_, errors, _) = AgentCommandLine.Parse(_lines.With(Fill(Import), "--report-out", Path.GetDirectoryName(_lines.RegularFile)!));

        Assert.Contains("is a directory, not a file", Assert.Single(errors), StringComparison.Ordinal);
    }

    private string[] Fill(string[] args) => [.. args.Select(_lines.Fill)];
}
