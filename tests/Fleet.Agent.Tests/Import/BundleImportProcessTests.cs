using Fleet.Agent.Import;
using Fleet.Agent.Tests.Bundles;
using Fleet.Agent.Tests.Hosting;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Bundle.V1;
using Fleet.Protocol.Bundles;
using Google.Protobuf;

namespace Fleet.Agent.Tests.Import;

/// <summary>
/// <c>fleet-agent --import</c> as a real process (the built fleet-agent) with the files driver, on a state directory
/// holding an offline identity made by the hub's certificate code: a valid bundle is applied and answered with a report
/// the hub can verify; a changed, foreign, older or repeated bundle is refused with exit 2, the reason on stderr and
/// nothing applied.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BundleImportProcessTests : IDisposable
{
    private const string Target = "edge-1";
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = new();

    public BundleImportProcessTests() => _pki.WriteIdentity(_dir.State, Target);

    private string ReportPath => Path.Combine(_dir.Path, "edge-1.report");

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Import_ValidBundle_AppliesTheFilesAndWritesAReportTheHubVerifies()
    {
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7, TestBundles.Files(("etc/motd", "hello"), ("etc/issue", "edge"))), _pki.Ca));

        var (exit, stdout, stderr) = await Import(bundle);

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Equal("", stderr);
        Assert.Equal("hello", File.ReadAllText(_dir.InRoot("etc/motd")));
        Assert.Equal("edge", File.ReadAllText(_dir.InRoot("etc/issue")));
        Assert.Contains("edge-1: bundle 7 applied: 2 ready, 0 not ready, 0 removed; report written to", stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ReportPath));
        var report = VerifiedReport();
        Assert.Equal((Target, 7L, "files", 32), (report.Target, report.Sequence, report.Driver, report.ReportId.Length));
        Assert.Equal(["issue:Ready", "motd:Ready"], report.Reports.Select(r => $"{r.Key}:{r.State}").Order(StringComparer.Ordinal));
        Assert.Equal("7\n", File.ReadAllText(Path.Combine(_dir.State, ImportedSequence.FileName)));
    }

    [Fact]
    public async Task Import_NextBundle_RemovesWhatItNoLongerHoldsThroughTheSamePipeline()
    {
        Assert.Equal(0, (await Import(Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7, TestBundles.Files(("etc/motd", "hello"), ("etc/issue", "edge"))), _pki.Ca)))).Exit);

        var (exit, stdout, stderr) = await Import(Write("b8", BundleSigner.SignDesired(TestBundles.Desired(Target, 8, TestBundles.Files(("etc/motd", "hello again"))), _pki.Ca)));

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Equal(["etc/motd"], _dir.FilesInRoot());
        Assert.Equal("hello again", File.ReadAllText(_dir.InRoot("etc/motd")));
        var report = VerifiedReport();
        Assert.Equal(8, report.Sequence);
        // Only what this import did: the first import's reports went out with its own report bundle.
        Assert.Equal(["issue:removed", "motd:Ready"], report.Reports.Select(r => r.Removed ? $"{r.Key}:removed" : $"{r.Key}:{r.State}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Import_OneByteChanged_IsRefusedWithNothingApplied()
    {
        var file = BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca).ToByteArray();
        file[file.Length / 2] ^= 0x01;
        var bundle = Path.Combine(_dir.Path, "changed.bundle");
        File.WriteAllBytes(bundle, file);

        await AssertRefused(bundle, "nothing was applied");
    }

    [Fact]
    public async Task Import_BundleForAnotherTarget_IsRefusedWithNothingApplied()
    {
        var bundle = Write("other", BundleSigner.SignDesired(TestBundles.Desired("edge-2", 7), _pki.Ca));

        await AssertRefused(bundle, "the bundle is for target 'edge-2', not 'edge-1'");
    }

    [Fact]
    public async Task Import_BundleOfAnotherHub_IsRefusedWithNothingApplied()
    {
        using var otherHub = new TestPki("another hub's CA");
        var bundle = Write("foreign", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), otherHub.Ca));

        await AssertRefused(bundle, "another hub");
    }

    [Fact]
    public async Task Import_OlderBundle_IsRefusedAndWhatRunsStays()
    {
        var older = Write("b5", BundleSigner.SignDesired(TestBundles.Desired(Target, 5, TestBundles.Files(("etc/motd", "old"))), _pki.Ca));
        Assert.Equal(0, (await Import(Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7, TestBundles.Files(("etc/motd", "new"))), _pki.Ca)))).Exit);
        var report = File.ReadAllBytes(ReportPath);

        var (exit, _, stderr) = await Import(older);

        Assert.Equal(2, exit);
        Assert.Contains("bundle 5 is not newer than bundle 7", stderr, StringComparison.Ordinal);
        Assert.Equal("new", File.ReadAllText(_dir.InRoot("etc/motd")));
        Assert.Equal(report, File.ReadAllBytes(ReportPath));
    }

    [Fact]
    public async Task Import_SameBundleTwice_IsRefusedTheSecondTime()
    {
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca));
        Assert.Equal(0, (await Import(bundle)).Exit);
        var report = File.ReadAllBytes(ReportPath);
        // Something changed on the target since: a second import would correct it, a refused one leaves it.
        File.WriteAllText(_dir.InRoot("etc/motd"), "edited");

        var (exit, stdout, stderr) = await Import(bundle);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("bundle 7 is not newer than bundle 7", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("applied:", stdout, StringComparison.Ordinal);
        Assert.Equal("edited", File.ReadAllText(_dir.InRoot("etc/motd")));
        Assert.Equal(report, File.ReadAllBytes(ReportPath));
    }

    [Fact]
    public async Task Import_CapabilityFails_WritesTheReportWithTheFailureAndExitsOne()
    {
        var bundle = Write("bad", BundleSigner.SignDesired(TestBundles.Desired(Target, 7, TestBundles.Files(("../escape", "x"))), _pki.Ca));

        var (exit, _, stderr) = await Import(bundle);

        Assert.Equal(1, exit);
        Assert.Contains("error: escape revision 1 is Failed", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "escape")));
        var failed = Assert.Single(VerifiedReport().Reports);
        Assert.Equal(ResourceState.Failed, failed.State);
        Assert.Equal("7\n", File.ReadAllText(Path.Combine(_dir.State, ImportedSequence.FileName)));
    }

    [Fact]
    public async Task Import_StateDirectoryOfAnotherTarget_IsRefusedWithNothingApplied()
    {
        using var other = new TempDirectory();
        _pki.WriteIdentity(other.State, "edge-2");
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca));

        var (exit, _, stderr) = await AgentProgramTests.Run(Arguments(bundle, other.State));

        Assert.Equal(2, exit);
        Assert.Contains("is the certificate of target 'edge-2', not 'edge-1'", stderr, StringComparison.Ordinal);
        Assert.Empty(_dir.FilesInRoot());
    }

    [Fact]
    public async Task Import_StateDirectoryWithoutIdentity_IsRefusedWithNothingApplied()
    {
        using var empty = new TempDirectory();
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca));

        var (exit, _, stderr) = await AgentProgramTests.Run(Arguments(bundle, empty.State));

        Assert.Equal(2, exit);
        Assert.Contains("lacks agent.key, agent.crt, ca.crt: this state directory holds no offline target identity", stderr, StringComparison.Ordinal);
        Assert.Empty(_dir.FilesInRoot());
    }

    [Fact]
    public async Task Import_SequenceRecordChangedByHand_FailsWithoutApplyingRatherThanStartingOver()
    {
        File.WriteAllText(Path.Combine(_dir.State, ImportedSequence.FileName), "seven\n");
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca));

        var (exit, _, stderr) = await Import(bundle);

        Assert.Equal(1, exit);
        Assert.Contains("holds no bundle sequence number", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(_dir.FilesInRoot());
        Assert.False(File.Exists(ReportPath));
    }

    [Fact]
    public async Task Import_WithAHub_IsAUsageErrorOfOneLine()
    {
        var bundle = Write("b7", BundleSigner.SignDesired(TestBundles.Desired(Target, 7), _pki.Ca));

        var (exit, stdout, stderr) = await AgentProgramTests.Run([.. Arguments(bundle, _dir.State), "--hub", "http://127.0.0.1:9"]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--hub: --import talks to no hub", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(_dir.FilesInRoot());
    }

    private async Task AssertRefused(string bundle, string reason)
    {
        var (exit, stdout, stderr) = await Import(bundle);

        Assert.True(exit == 2, $"exit {exit}: {stderr}\n{stdout}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Empty(_dir.FilesInRoot());
        Assert.False(File.Exists(ReportPath));
        Assert.False(File.Exists(Path.Combine(_dir.State, ImportedSequence.FileName)));
    }

    private ReportBundle VerifiedReport()
    {
        using var ca = _pki.CaCertificate;
        var verified = BundleVerifier.VerifyReport(File.ReadAllBytes(ReportPath), ca, DateTimeOffset.UtcNow);
        Assert.True(verified.IsAccepted, verified.Refusal?.Message);
        return verified.Bundle;
    }

    private string Write(string name, SignedBundle bundle)
    {
        var path = Path.Combine(_dir.Path, name + ".bundle");
        File.WriteAllBytes(path, bundle.ToByteArray());
        return path;
    }

    private Task<(int Exit, string Out, string Err)> Import(string bundle) => AgentProgramTests.Run(Arguments(bundle, _dir.State));

    private string[] Arguments(string bundle, string state) =>
        ["--import", bundle, "--report-out", ReportPath, "--name", Target, "--driver", "files", "--root", _dir.Root, "--state-dir", state];
}
