using Fleet.Domain.Time;
using Fleet.Hub.Hosting;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>The hub is secure by default, and --insecure stays on loopback unless told otherwise.</summary>
public sealed class HubOptionsParserTests
{
    [Fact]
    public void NoFlags_IsSecureOnHttpsLoopback()
    {
        var (options, errors, _) = HubOptionsParser.Parse([]);

        Assert.Empty(errors);
        Assert.False(options!.Insecure);
        Assert.Equal("https://127.0.0.1:7400", options.EffectiveUrls);
    }

    [Fact]
    public void SecureHub_RefusesAnHttpUrl()
    {
        var (options, errors, _) = HubOptionsParser.Parse(["--urls", "http://127.0.0.1:7400"]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("TLS only"));
    }

    [Theory]
    [InlineData("http://0.0.0.0:7400")]
    [InlineData("http://10.0.0.5:7400")]
    [InlineData("http://hub.example.com:7400")]
    public void Insecure_OnANonLoopbackAddress_IsRefusedUnlessAllowed(string url)
    {
        var (refused, errors, _) = HubOptionsParser.Parse(["--insecure", "--urls", url]);
        var (allowed, none, _) = HubOptionsParser.Parse(["--insecure", "--urls", url, "--insecure-allow-remote"]);

        Assert.Null(refused);
        Assert.Contains(errors, e => e.Contains("--insecure-allow-remote"));
        Assert.Empty(none);
        Assert.True(allowed!.AllowRemoteInsecure);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7400")]
    [InlineData("http://localhost:7400")]
    [InlineData("http://[::1]:7400")]
    public void Insecure_OnLoopback_IsAccepted(string url)
    {
        var (options, errors, _) = HubOptionsParser.Parse(["--insecure", "--urls", url]);

        Assert.Empty(errors);
        Assert.True(options!.Insecure);
    }

    [Fact]
    public void SecurityFlags_AreParsed_AndPairsAreChecked()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (options, errors, _) = HubOptionsParser.Parse(["--host", "hub.example.com", "--host", "10.0.0.5", "--agent-cert-ttl", "12h", "--ca-cert", file, "--ca-key", file]);
            var (_, unpaired, _) = HubOptionsParser.Parse(["--tls-cert", file]);
            var (_, badTtl, _) = HubOptionsParser.Parse(["--agent-cert-ttl", "1s"]);

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
        var (options, errors, _) = HubOptionsParser.Parse(["--metrics-url", given]);

        Assert.Empty(errors);
        Assert.Equal(expected, options!.MetricsUrl);
        Assert.Null(HubOptionsParser.Parse([]).Options!.MetricsUrl);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9464/metrics")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:9464/metrics?x=1")]
    public void MetricsUrl_NotPlainHttp_IsRefused(string given)
    {
        var (options, errors, _) = HubOptionsParser.Parse(["--metrics-url", given]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--metrics-url:", StringComparison.Ordinal));
    }

    [Fact]
    public void StoragePostgres_WithAConnectionString_IsAccepted()
    {
        var (options, errors, _) = HubOptionsParser.Parse(["--storage", "postgres", "--postgres", "Host=127.0.0.1;Port=5433;Username=fleet;Database=fleet"]);

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
        var (options, errors, _) = HubOptionsParser.Parse(args);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
