using Fleet.Cli.Tests.EndToEnd;

namespace Fleet.Cli.Tests.Commands;

/// <summary><c>fleet token create</c>'s enrollment flags are checked before anything is sent: a mistake is exit 2, the hub never asked.</summary>
public sealed class TokenCommandTests
{
    [Theory]
    [InlineData("viewer", "--label", "env=prod", "apply to --role agent only")]
    [InlineData("operator", "--driver", "exec", "apply to --role agent only")]
    [InlineData("admin", "--allow-label-keys", "zone", "apply to --role agent only")]
    [InlineData("agent", "--label", "env", "is not KEY=VALUE")]
    [InlineData("agent", "--label", "Bad Key=x", "is not KEY=VALUE")]
    [InlineData("agent", "--allow-label-keys", "ok,not ok", "'not ok' is not a Kubernetes label key")]
    public async Task Create_BadEnrollmentFlag_ExitsTwoWithoutCallingTheHub(string role, string flag, string value, string expected)
    {
        // The hub address answers nothing: reaching it would be exit 1, not 2.
        var (exit, _, err) = await InProcess.Fleet("--hub", $"http://127.0.0.1:{Programs.FreePort()}", "token", "create", "--role", role, flag, value);

        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
    }

    [Fact]
    public async Task Create_AKeyBothFixedAndAllowed_ExitsTwo()
    {
        var (exit, _, err) = await InProcess.Fleet(
            "--hub", $"http://127.0.0.1:{Programs.FreePort()}", "token", "create", "--role", "agent", "--label", "env=prod", "--allow-label-keys", "env");

        Assert.Equal(2, exit);
        Assert.Contains("also fixed with --label", err);
    }
}
