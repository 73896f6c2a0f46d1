using System.Security.Cryptography;
using System.Text;
using Fleet.Hub.Hosting;
using Fleet.Hub.Webhooks;

namespace Fleet.Hub.Tests.Webhooks;

public sealed class WebhookKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-webhook-key-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_NoKeyFile_CreatesAnOwnerOnlyKeyOnceAndKeepsIt()
    {
        var first = WebhookKey.Load(_directory, keyFile: null);
        var path = Path.Combine(_directory, WebhookKey.FileName);
        var text = File.ReadAllText(path);

        var second = WebhookKey.Load(_directory, keyFile: null);

        Assert.Equal(64, text.Trim().Length);
        Assert.Equal(text, File.ReadAllText(path));
        Assert.Equal(first.Sign("{}"u8), second.Sign("{}"u8));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Sign_IsTheHexHmacSha256OfTheBody()
    {
        var secret = new string('k', 40);
        var file = KeyFile(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var body = "{\"rollout\":\"r1\"}"u8.ToArray();

        var signature = WebhookKey.Load(_directory, file).Sign(body);

        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)), signature);
    }

    [Fact]
    public void Load_GivenFileOthersCanRead_IsRefusedAndLeftAsItIs()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var file = KeyFile(new string('k', 40), mode);

        var error = Assert.Throws<HubStartupException>(() => WebhookKey.Load(_directory, file));

        Assert.Contains("--webhook-key-file", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(file));
        Assert.False(File.Exists(Path.Combine(_directory, WebhookKey.FileName)));
    }

    [Fact]
    public void Load_GivenShortKey_IsRefused()
    {
        var file = KeyFile("short\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<HubStartupException>(() => WebhookKey.Load(_directory, file));

        Assert.Contains($"at least {WebhookKey.MinLength}", error.Message, StringComparison.Ordinal);
    }

    private string KeyFile(string text, UnixFileMode mode)
    {
        var path = Path.Combine(_directory, "given.key");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
