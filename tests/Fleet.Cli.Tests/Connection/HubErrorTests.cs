using System.Net;
using System.Net.Sockets;
using Fleet.Cli.Tests.EndToEnd;

namespace Fleet.Cli.Tests.Connection;

/// <summary>A hub that cannot be reached or does not answer: exit 1 and one line that says which hub and what happened.</summary>
public sealed class HubErrorTests
{
    [Fact]
    public async Task Get_NothingListensAtTheAddress_SaysTheAddressAndThatTheConnectionWasRefused()
    {
        var hub = $"http://127.0.0.1:{Programs.FreePort()}";

        var (exit, stdout, stderr) = await InProcess.Fleet("--hub", hub, "get", "targets");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: cannot reach the hub at {hub}: ", stderr, StringComparison.Ordinal);
        Assert.Contains("refused", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Get_HubAcceptsButNeverAnswers_SaysTheDeadlineAndTheAddress()
    {
        // The kernel accepts the connection into the backlog; nobody ever reads or answers it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var hub = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";

        var (exit, stdout, stderr) = await InProcess.Fleet("--hub", hub, "--timeout", "1s", "get", "targets");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"error: cannot reach the hub at {hub}: no answer within 1 s (deadline exceeded)\n", stderr);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    public async Task Get_InvalidTimeout_ExitsTwo(string timeout)
    {
        var (exit, _, stderr) = await InProcess.Fleet("--hub", "http://127.0.0.1:1", "--timeout", timeout, "get", "targets");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: --timeout", stderr, StringComparison.Ordinal);
    }
}
