using System.Security.Cryptography;
using System.Text;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Webhooks;

/// <summary>
/// The secret the hub signs webhook bodies with, so a receiver can tell the hub's calls from anyone else's:
/// DATA-DIR/webhook.key, created 0600 at first start, or the operator's <c>--webhook-key-file</c>, which is
/// only read (never changed) and refused when other users can read it, as the hub's TLS keys are.
/// </summary>
internal sealed class WebhookKey
{
    public const string FileName = "webhook.key";
    public const string Flag = "--webhook-key-file";

    /// <summary>A shorter secret is guessable offline from one signed body.</summary>
    public const int MinLength = 32;

    private const int MaxFileBytes = 4096;

    private readonly byte[] _secret;

    private WebhookKey(byte[] secret) => _secret = secret;

    /// <summary>The key of <paramref name="keyFile"/> when given, else the data directory's own, created when missing.</summary>
    public static WebhookKey Load(string dataDirectory, string? keyFile)
    {
        if (keyFile is not null)
        {
            GivenFiles.RequireOwnerOnly(Flag, keyFile);
            return FromText(Flag + " " + keyFile, GivenFiles.ReadText(Flag, keyFile, MaxFileBytes, "a webhook key"));
        }

        var own = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(own))
        {
            // 32 random bytes as hex: text an operator can copy into a receiver's configuration.
            OwnerOnlyFiles.Write(own, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n", OwnerOnlyFiles.File600);
        }
        else
        {
            OwnerOnlyFiles.Restrict(own);
        }

        return FromText(own, GivenFiles.ReadText("webhook key", own, MaxFileBytes, "a webhook key"));
    }

    /// <summary>The <c>Fleet-Signature</c> header value for <paramref name="body"/>: <c>sha256=</c> and the hex HMAC-SHA256.</summary>
    public string Sign(ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, body));

    private static WebhookKey FromText(string what, string text)
    {
        var secret = text.Trim();
        if (secret.Length < MinLength)
        {
            throw new HubStartupException($"{what} holds a key of {secret.Length} characters; a webhook key needs at least {MinLength} (e.g. openssl rand -hex 32)");
        }

        return new WebhookKey(Encoding.UTF8.GetBytes(secret));
    }
}
