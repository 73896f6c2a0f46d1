using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

/// <summary>The agent's security flags: a token only ever travels over TLS, and never shows when options are printed.</summary>
public sealed class AgentOptionsParserSecurityTests : IDisposable
{
    private const string Token = "fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly TempDirectory _directory = new();

    private string[] Secure => ["--hub", "https://hub.example.com:7400", "--name", "a1", "--driver", "files", "--root", "/tmp/a1"];

    [Fact]
    public void HttpsHub_WithTokenAndCa_IsAccepted_AndTheTokenNeverPrints()
    {
        var ca = Path.Combine(_directory.Path, "ca.crt");
        File.WriteAllText(ca, "pem");

        var (options, errors, _) = AgentOptionsParser.Parse([.. Secure, "--token", Token, "--ca", ca]);

        Assert.Empty(errors);
        Assert.Equal(Token, options!.Token!.Value);
        Assert.Equal(ca, options.CaFile);
        Assert.DoesNotContain(Token, options.ToString());
    }

    [Fact]
    public void TokenFile_IsRead_AndTrimmed()
    {
        var file = Path.Combine(_directory.Path, "token");
        File.WriteAllText(file, Token + "\n");

        var (options, errors, _) = AgentOptionsParser.Parse([.. Secure, "--token-file", file]);

        Assert.Empty(errors);
        Assert.Equal(Token, options!.Token!.Value);
    }

    [Fact]
    public void Token_ToAPlaintextHub_IsRefused()
    {
        var (options, errors, _) = AgentOptionsParser.Parse(["--hub", "http://127.0.0.1:7400", "--insecure", "--token", Token, "--name", "a1", "--driver", "files", "--root", "/tmp/a1"]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("plaintext"));
    }

    [Fact]
    public void Insecure_WithAnHttpsHub_IsRefused()
    {
        var (options, errors, _) = AgentOptionsParser.Parse([.. Secure, "--insecure"]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("--insecure"));
    }

    [Fact]
    public void MissingCaFile_IsRefused()
    {
        var (options, errors, _) = AgentOptionsParser.Parse([.. Secure, "--ca", Path.Combine(_directory.Path, "absent.crt")]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("--ca"));
    }

    public void Dispose() => _directory.Dispose();
}
