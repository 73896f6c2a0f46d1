using System.Security.Cryptography;
using System.Text;
using Fleet.Hub.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Webhooks;

/// <summary>The hub's webhook calls against a real HTTP receiver on loopback.</summary>
public sealed class WebhookClientTests : IDisposable
{
    private static readonly byte[] Body = "{\"rollout\":\"r1\",\"attempt\":1}"u8.ToArray();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-webhooks-").FullName;
    private readonly ServiceProvider _services;

    public WebhookClientTests()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(WebhookClient.HttpClientName);
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task PostAsync_Ok_SendsTheBodySignedWithTheHubKey()
    {
        await using var receiver = new LoopbackReceiver((_, context) => LoopbackReceiver.Reply(context, 200, "{\"decision\":\"proceed\"}"));

        var answer = await Client().PostAsync(receiver.Url, Body, Timeout, TestContext.Current.CancellationToken);

        Assert.True(answer.Answered, answer.Error);
        Assert.Equal((200, "{\"decision\":\"proceed\"}"), (answer.StatusCode, answer.Body));
        var (signature, body) = Assert.Single(receiver.Requests);
        Assert.Equal(Encoding.UTF8.GetString(Body), body);
        var secret = File.ReadAllText(Path.Combine(_directory, WebhookKey.FileName)).Trim();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body)), signature);
    }

    [Fact]
    public async Task PostAsync_ServerErrorThenOk_IsRetried()
    {
        await using var receiver = new LoopbackReceiver((index, context) =>
            index == 0 ? LoopbackReceiver.Reply(context, 503, "busy") : LoopbackReceiver.Reply(context, 200, "{}"));

        var answer = await Client().PostAsync(receiver.Url, Body, Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task PostAsync_ServerErrorEveryTime_GivesUpAfterMaxAttempts()
    {
        await using var receiver = new LoopbackReceiver((_, context) => LoopbackReceiver.Reply(context, 500, "down"));

        var answer = await Client().PostAsync(receiver.Url, Body, Timeout, TestContext.Current.CancellationToken);

        Assert.False(answer.Answered);
        Assert.Equal("answered HTTP 500", answer.Error);
        Assert.Equal(WebhookClient.MaxAttempts, receiver.Requests.Count);
    }

    [Fact]
    public async Task PostAsync_ClientError_IsNotRetried()
    {
        await using var receiver = new LoopbackReceiver((_, context) => LoopbackReceiver.Reply(context, 404, "no such hook"));

        var answer = await Client().PostAsync(receiver.Url, Body, Timeout, TestContext.Current.CancellationToken);

        Assert.Equal((404, "answered HTTP 404"), (answer.StatusCode, answer.Error));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task PostAsync_AnswerLargerThanTheLimit_IsAnError()
    {
        await using var receiver = new LoopbackReceiver((_, context) =>
            LoopbackReceiver.Reply(context, 200, new string('x', WebhookClient.MaxResponseBytes + 1)));

        var answer = await Client().PostAsync(receiver.Url, Body, Timeout, TestContext.Current.CancellationToken);

        Assert.False(answer.Answered);
        Assert.Equal($"the answer is larger than {WebhookClient.MaxResponseBytes / 1024} KiB", answer.Error);
        Assert.Equal("", answer.Body);
    }

    [Fact]
    public async Task PostAsync_NoAnswerWithinTheTimeout_IsAnErrorAfterEveryAttempt()
    {
        var release = new TaskCompletionSource();
        await using var receiver = new LoopbackReceiver(async (_, context) =>
        {
            await release.Task;
            await LoopbackReceiver.Reply(context, 200, "{}");
        });

        var answer = await Client().PostAsync(receiver.Url, Body, TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        release.SetResult();

        Assert.Equal("no answer within 0.2 s", answer.Error);
        Assert.Equal(WebhookClient.MaxAttempts, receiver.Requests.Count);
    }

    [Theory]
    [InlineData("http://192.0.2.10/hook", false, "--allow-http-webhooks")]
    [InlineData("ftp://127.0.0.1/hook", true, "must be http(s)")]
    public async Task PostAsync_UrlTheHubMayNotCall_IsRefusedWithoutACall(string url, bool allowHttp, string expected)
    {
        var answer = await Client(allowHttp).PostAsync(new Uri(url), Body, Timeout, TestContext.Current.CancellationToken);

        Assert.False(answer.Answered);
        Assert.Contains(expected, answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_DropsCredentialsQueryAndFragment()
    {
        Assert.Equal("https://hooks.example:8443/gate", WebhookUrls.Redact(new Uri("https://user:secret@hooks.example:8443/gate?token=t#x")));
    }

    private WebhookClient Client(bool allowHttp = false) => new(
        _services.GetRequiredService<IHttpClientFactory>(),
        WebhookKey.Load(_directory, keyFile: null),
        new WebhookClientOptions(allowHttp, TimeSpan.FromMilliseconds(10)),
        TimeProvider.System,
        NullLogger<WebhookClient>.Instance);
}
