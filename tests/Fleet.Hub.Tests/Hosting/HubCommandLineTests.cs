using Fleet.Domain.Time;
using Fleet.Hub.Hosting;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>The hub is secure by default, and --insecure stays on loopback unless told otherwise.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HubCommandLineTests
{
    private static (HubOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(string[] args)
    {
        var result = HubCommandLine.Parse(args);
        return (result.Options, result.Errors, result.Help is not null);
    }

    [Theory]
    [InlineData(new[] { "--urls", ";" }, "--urls: ';' names no URL")]
    [InlineData(new[] { "--urls", "" }, "--urls: '' names no URL")]
    [InlineData(new[] { "--urls", " ; ;" }, "names no URL")]
    [InlineData(new[] { "--urls", "ftp://127.0.0.1:7400" }, "is not an http:// or https:// URL")]
    [InlineData(new[] { "--urls" }, "--urls")]
    [InlineData(new[] { "--data-dir", "" }, "--data-dir: the path is empty")]
    [InlineData(new[] { "--data-dir", " " }, "--data-dir: the path is empty")]
    [InlineData(new[] { "--data-dir" }, "--data-dir")]
    [InlineData(new[] { "--bogus" }, "'--bogus'")]
    [InlineData(new[] { "positional" }, "'positional'")]
    [InlineData(new[] { "--silo-port", "0" }, "--silo-port: '0' is not a port number")]
    [InlineData(new[] { "--silo-port", "65536" }, "--silo-port: '65536' is not a port number")]
    [InlineData(new[] { "--gateway-port", "x" }, "--gateway-port: 'x' is not a port number")]
    [InlineData(new[] { "--gateway-port=-1" }, "--gateway-port: '-1' is not a port number")]
    [InlineData(new[] { "--agent-cert-ttl", "10 minutes" }, "--agent-cert-ttl: '10 minutes' is not a duration")]
    [InlineData(new[] { "--agent-cert-ttl", "366d" }, "--agent-cert-ttl: '366d' is not a duration")]
    [InlineData(new[] { "--agent-cert-ttl", "" }, "--agent-cert-ttl: '' is not a duration")]
    [InlineData(new[] { "--host", "not a host" }, "--host: 'not a host' is not a DNS name")]
    [InlineData(new[] { "--host", "a", "b" }, "'b'")]
    [InlineData(new[] { "--tls-cert", "" }, "--tls-cert: the path is empty")]
    [InlineData(new[] { "--ca-key", "/nonexistent/ca.key" }, "--ca-key: /nonexistent/ca.key does not exist")]
    [InlineData(new[] { "--metrics-url", "" }, "--metrics-url: '' is not an http:// URL")]
    [InlineData(new[] { "--webhook-key-file", "/nonexistent/webhook.key" }, "--webhook-key-file: /nonexistent/webhook.key does not exist")]
    public void BadValue_IsAUsageError(string[] args, string expected)
    {
        var (options, errors, help) = Parse(args);

        Assert.Null(options);
        Assert.False(help);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void TlsCert_ADirectory_IsRefused()
    {
        var (options, errors, _) = Parse(["--tls-cert", Path.GetTempPath(), "--tls-key", Path.GetTempPath()]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--tls-cert:", StringComparison.Ordinal) && e.Contains("is a directory", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFlag_IsParsedIntoItsTypedValue_InlineOrSeparate()
    {
        var (options, errors, _) = Parse(
        [
            "--urls=https://127.0.0.1:7401;https://[::1]:7401", "--data-dir", "/var/lib/fleet", "--silo-port", "1111", "--gateway-port=3000",
            "--agent-cert-ttl", "1h30m", "--reset-admin-token", "--metrics-url", "http://127.0.0.1:9464",
        ]);

        Assert.Empty(errors);
        Assert.Equal("https://127.0.0.1:7401;https://[::1]:7401", options!.EffectiveUrls);
        Assert.Equal(("/var/lib/fleet", 1111, 3000), (options.DataDirectory, options.SiloPort, options.GatewayPort));
        Assert.Equal(TimeSpan.FromMinutes(90), options.AgentCertificateLifetime);
        Assert.True(options.ResetAdminToken);
    }

    [Fact]
    public void WebhookFlags_AreParsed_AndOffByDefault()
    {
        var key = Path.GetTempFileName();
        try
        {
            var (options, errors, _) = Parse(["--webhook-key-file", key, "--allow-http-webhooks"]);
            var (defaults, _, _) = Parse([]);

            Assert.Empty(errors);
            Assert.Equal((key, true), (options!.WebhookKeyFile, options.AllowHttpWebhooks));
            Assert.Equal(((string?)null, false), (defaults!.WebhookKeyFile, defaults.AllowHttpWebhooks));
        }
        finally
        {
            File.Delete(key);
        }
    }

    [Fact]
    public void NoFlags_GiveTheDocumentedDefaults()
    {
        var (options, _, _) = Parse([]);

        var defaults = new HubOptions();
        Assert.Equal(defaults with { Hosts = options!.Hosts }, options);
        Assert.Empty(options.Hosts);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_ListsEveryFlagWithItsDefault(string flag)
    {
        var result = HubCommandLine.Parse([flag]);
        using var text = new StringWriter();
        result.Help!(text);

        Assert.Null(result.Options);
        foreach (var expected in new[]
                 {
                     "--urls", "--data-dir", "--storage", "--postgres", "--postgres-file", "--silo-port", "--gateway-port", "--host", "--tls-cert", "--tls-key",
                     "--ca-cert", "--ca-key", "--agent-cert-ttl", "--reset-admin-token", "--insecure", "--insecure-allow-remote", "--metrics-url",
                     "[default: https://127.0.0.1:7400", "[default: .fleet/hub]", "[default: sqlite]", "[default: 11111]", "[default: 30000]", "[default: 1d]",
                 })
        {
            Assert.Contains(expected, text.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NoFlags_IsSecureOnHttpsLoopback()
    {
        var (options, errors, _) = Parse([]);

        Assert.Empty(errors);
        Assert.False(options!.Insecure);
        Assert.Equal("https://127.0.0.1:7400", options.EffectiveUrls);
    }

    [Fact]
    public void SecureHub_RefusesAnHttpUrl()
    {
        var (options, errors, _) = Parse(["--urls", "http://127.0.0.1:7400"]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("TLS only"));
    }

    [Theory]
    [InlineData("http://0.0.0.0:7400")]
    [InlineData("http://10.0.0.5:7400")]
    [InlineData("http://hub.example.com:7400")]
    public void Insecure_OnANonLoopbackAddress_IsRefusedUnlessAllowed(string url)
    {
        var (refused, errors, _) = Parse(["--insecure", "--urls", url]);
        var (allowed, none, _) = Parse(["--insecure", "--urls", url, "--insecure-allow-remote"]);

        Assert.Null(refused);
        Assert.Contains(errors, e => e.Contains("--insecure-allow-remote"));
        Assert.Empty(none);
        Assert.True(allowed!.AllowRemoteInsecure);
    }

    [Fact]
    public void SecureHub_ServesTheDashboardOnHttps_AndRefusesAnHttpDashboardUrl()
    {
        var (secure, none, _) = Parse(["--dashboard-url", "https://127.0.0.1:7480"]);
        var (refused, errors, _) = Parse(["--dashboard-url", "http://127.0.0.1:7480"]);

        Assert.Empty(none);
        Assert.Equal("https://127.0.0.1:7480", secure!.DashboardUrl);
        Assert.Null(refused);
        Assert.Contains(errors, e => e.Contains("--dashboard-url http://127.0.0.1:7480: a secure hub serves the dashboard over TLS only", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7400")]
    [InlineData("http://localhost:7400")]
    [InlineData("http://[::1]:7400")]
    public void Insecure_OnLoopback_IsAccepted(string url)
    {
        var (options, errors, _) = Parse(["--insecure", "--urls", url]);

        Assert.Empty(errors);
        Assert.True(options!.Insecure);
    }

    [Fact]
    public void SecurityFlags_AreParsed_AndPairsAreChecked()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (options, errors, _) = Parse(["--host", "hub.example.com", "--host", "10.0.0.5", "--agent-cert-ttl", "12h", "--ca-cert", file, "--ca-key", file]);
            var (_, unpaired, _) = Parse(["--tls-cert", file]);
            var (_, badTtl, _) = Parse(["--agent-cert-ttl", "1s"]);

            Assert.Empty(errors);
            Assert.Equal(["hub.example.com", "10.0.0.5"], options!.Hosts);
            Assert.Equal(TimeSpan.FromHours(12), options.AgentCertificateLifetime);
            Assert.Contains(unpaired, e => e.Contains("go together"));
            Assert.Contains(badTtl, e => e.Contains("--agent-cert-ttl"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Durations_ParseAndFormat()
    {
        Assert.True(Durations.TryParse("1d2h30m", out var parsed));
        Assert.Equal(TimeSpan.FromMinutes(1590), parsed);
        Assert.Equal("1d2h30m", Durations.Format(parsed));
        Assert.False(Durations.TryParse("10 minutes", out _));
        Assert.False(Durations.TryParse("", out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9464", "http://127.0.0.1:9464/metrics")]
    [InlineData("http://127.0.0.1:9464/", "http://127.0.0.1:9464/metrics")]
    [InlineData("http://0.0.0.0:9464/prom", "http://0.0.0.0:9464/prom")]
    public void MetricsUrl_IsParsed_WithTheConventionalPathByDefault(string given, string expected)
    {
        var (options, errors, _) = Parse(["--metrics-url", given]);

        Assert.Empty(errors);
        Assert.Equal(expected, options!.MetricsUrl);
        Assert.Null(Parse([]).Options!.MetricsUrl);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9464/metrics")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:9464/metrics?x=1")]
    public void MetricsUrl_NotPlainHttp_IsRefused(string given)
    {
        var (options, errors, _) = Parse(["--metrics-url", given]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--metrics-url:", StringComparison.Ordinal));
    }

    [Fact]
    public void StoragePostgres_WithAConnectionString_IsAccepted()
    {
        var (options, errors, _) = Parse(["--storage", "postgres", "--postgres", "Host=127.0.0.1;Port=5433;Username=fleet;Database=fleet"]);

        Assert.Empty(errors);
        Assert.Equal((HubOptions.PostgresStorage, "Host=127.0.0.1;Port=5433;Username=fleet;Database=fleet"), (options!.Storage, options.PostgresConnectionString));
    }

    [Theory]
    [InlineData(new[] { "--storage", "postgres" }, "needs --postgres")]
    [InlineData(new[] { "--postgres", "Host=db;Database=fleet" }, "goes with --storage postgres")]
    [InlineData(new[] { "--storage", "sqlite", "--postgres", "Host=db" }, "goes with --storage postgres")]
    [InlineData(new[] { "--storage", "postgres", "--postgres", "Database=fleet" }, "names no Host")]
    [InlineData(new[] { "--storage", "postgres", "--postgres", "Hots=db" }, "not a valid Npgsql connection string")]
    [InlineData(new[] { "--storage", "mysql" }, "not supported")]
    public void Storage_InconsistentOrInvalid_IsRefused(string[] args, string expected)
    {
        var (options, errors, _) = Parse(args);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void PostgresFile_OwnerOnly_GivesItsTrimmedContentAsTheConnectionString()
    {
        using var dir = new TempDirectory();
        var file = WriteSecret(dir, "Host=127.0.0.1;Username=fleet;Password=s3cret;Database=fleet\n", OwnerOnly);

        var (options, errors, _) = Parse(["--storage", "postgres", "--postgres-file", file]);

        Assert.Empty(errors);
        Assert.Equal("Host=127.0.0.1;Username=fleet;Password=s3cret;Database=fleet", options!.PostgresConnectionString);
    }

    [Fact]
    public void PostgresFile_ReadableByOthers_IsRefusedWithoutChangingIt()
    {
        using var dir = new TempDirectory();
        var mode = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var file = WriteSecret(dir, "Host=db;Password=s3cret", mode);

        var (options, errors, _) = Parse(["--storage", "postgres", "--postgres-file", file]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("accessible by other users (mode 0644); chmod 600", StringComparison.Ordinal));
        Assert.Equal(mode, File.GetUnixFileMode(file));
    }

    [Theory]
    [InlineData("Database=fleet;Password=s3cret", "names no Host")]
    [InlineData("Hots=db;Password=s3cret", "not a valid Npgsql connection string")]
    public void PostgresFile_BadContent_IsRefusedWithoutShowingIt(string content, string expected)
    {
        using var dir = new TempDirectory();
        var file = WriteSecret(dir, content, OwnerOnly);

        var (options, errors, _) = Parse(["--storage", "postgres", "--postgres-file", file]);

        Assert.Null(options);
        var error = Assert.Single(errors);
        Assert.Contains($"--postgres-file {file}: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresFile_MissingOrGivenWithPostgres_IsRefused()
    {
        using var dir = new TempDirectory();
        var file = WriteSecret(dir, "Host=db", OwnerOnly);

        var missing = Parse(["--storage", "postgres", "--postgres-file", Path.Combine(dir.Path, "absent")]);
        var both = Parse(["--storage", "postgres", "--postgres", "Host=db", "--postgres-file", file]);

        Assert.Contains(missing.Errors, e => e.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(both.Errors, e => e.Contains("give one of them", StringComparison.Ordinal));
        Assert.Null(both.Options);
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string WriteSecret(TempDirectory dir, string content, UnixFileMode mode)
    {
        var file = Path.Combine(dir.Path, "postgres.conn");
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, mode);
        return file;
    }
}
