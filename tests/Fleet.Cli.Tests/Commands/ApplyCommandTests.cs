using System.Text;

namespace Fleet.Cli.Tests.Commands;

/// <summary>
/// <c>fleet apply</c> refusing input it cannot read as text (in process): exit 2, the position of the problem, nothing
/// sent. No hub is needed: a refused input is never sent.
/// </summary>
public sealed class ApplyCommandTests : IDisposable
{
    private const string Capability = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: hello
        spec:
          resources:
            - id: hello
              file:
                path: etc/hello.txt
                content: "CONTENT"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-apply-").FullName;

    [Fact]
    public async Task Apply_EscapesOfAReversedSurrogatePair_ExitsTwoWithThePosition()
    {
        var file = Write("pair.yaml", Encoding.UTF8.GetBytes(Capability.Replace("CONTENT", "a\\uDC00\\uD800b")));

        var (exit, stdout, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: {file}:10:20: invalid YAML: \\uDC00 is an unpaired surrogate, not a character", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", stderr);
    }

    [Fact]
    public async Task Apply_InvalidUtf8InAFile_ExitsTwoWithFileLineAndColumnOfTheFirstBadByte()
    {
        var file = Write("bad.yaml", Latin1InLine10());

        var (exit, stdout, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {file}:10:22: invalid UTF-8 (byte 0xE9): write the file in UTF-8\n", stderr);
    }

    [Fact]
    public async Task Apply_InvalidUtf8InADirectory_NamesTheFile()
    {
        Write("a.yaml", Encoding.UTF8.GetBytes(Capability.Replace("CONTENT", "fine")));
        var bad = Write("b.yaml", Latin1InLine10());

        var (exit, _, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", _dir);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {bad}:10:22: invalid UTF-8 (byte 0xE9): write the file in UTF-8\n", stderr);
    }

    [Fact]
    public async Task Apply_InvalidUtf8OnStdin_ExitsTwoWithThePosition()
    {
        var (exit, _, stderr) = await InProcess.FleetWithInput(Latin1InLine10(), "--hub", "http://127.0.0.1:1", "apply", "-f", "-");

        Assert.Equal(2, exit);
        Assert.Equal("error: <stdin>:10:22: invalid UTF-8 (byte 0xE9): write the file in UTF-8\n", stderr);
    }

    [Fact]
    public async Task Apply_Utf8WithAByteOrderMark_IsRead()
    {
        var file = Write("bom.yaml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Capability.Replace("kind: Capability", "kind: Nonsense"))]);

        var (exit, _, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", file);

        // Read as text (the mark is not part of it): the document's own error is what is reported.
        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {file}:2:", stderr, StringComparison.Ordinal);
        Assert.Contains("Nonsense", stderr);
    }

    [Fact]
    public async Task RolloutStart_StrategyFileWithInvalidUtf8_ExitsTwoWithThePosition()
    {
        var file = Write("strategy.yaml", [.. "maxUnavailable: 1\nwaves:\n  - name: caf"u8, 0xE9, .. "\n"u8]);

        var (exit, _, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "rollout", "start", "hello", "-f", file);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {file}:3:14: invalid UTF-8 (byte 0xE9): write the file in UTF-8\n", stderr);
    }

    [Fact]
    public async Task Apply_MoreDocumentsThanOneApplyCarries_ExitsTwoWithTheLimitAndSendsNothing()
    {
        var documents = Enumerable.Range(0, Protocol.ApplyLimits.MaxDocuments + 1).Select(i => Capability.Replace("name: hello", $"name: c{i}"));
        var file = Write("many.yaml", Encoding.UTF8.GetBytes(string.Join("\n---\n", documents)));

        // No hub listens there: a refused input is never sent.
        var (exit, stdout, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "apply", "-f", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {Protocol.ApplyLimits.MaxDocuments + 1} documents in one apply; at most {Protocol.ApplyLimits.MaxDocuments} are applied together: split the input\n", stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The capability with "café" in Latin-1 in its content (line 10): é is the byte 0xE9, invalid in UTF-8.</summary>
    private static byte[] Latin1InLine10() => Encoding.Latin1.GetBytes(Capability.Replace("CONTENT", "caf\u00e9"));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
