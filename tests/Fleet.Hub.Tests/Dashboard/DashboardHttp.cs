using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>
/// One browser's worth of HTTP towards a dashboard: its own cookie jar, TLS trusting only the test hub's CA, and no
/// automatic redirects, so a test sees every 303 and every Set-Cookie the dashboard sends.
/// </summary>
internal sealed partial class DashboardHttp : IDisposable
{
    private readonly HttpClient _client;

    public DashboardHttp(Uri baseAddress, string? caPath)
    {
        var handler = new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true };
        if (caPath is not null)
        {
            var trust = new X509Certificate2Collection();
            trust.ImportFromPemFile(caPath);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsIssuedBy(trust, certificate, errors),
            };
        }

        _client = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path, Cancel);

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {response.Headers.Location}");
        return await response.Content.ReadAsStringAsync(Cancel);
    }

    public Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] fields) =>
        _client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))), Cancel);

    /// <summary>Opens the login form and posts <paramref name="token"/> with the form's CSRF field, as a browser would.</summary>
    public async Task<HttpResponseMessage> LogInAsync(string token)
    {
        var form = await GetPageAsync("/login");
        return await PostAsync("/login", ("csrf", CsrfOf(form)), ("token", token));
    }

    /// <summary>The CSRF field of the first form on a page.</summary>
    public static string CsrfOf(string page) =>
        CsrfField().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no CSRF field in the page:\n{page}");

    public void Dispose() => _client.Dispose();

    private static bool IsIssuedBy(X509Certificate2Collection trust, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
