namespace Fleet.Hub.Hosting;

/// <summary>
/// The flag combinations fleet-hub refuses: each value may be fine alone, but together they would be
/// ignored or would silently weaken the hub, so they are refused rather than guessed at.
/// </summary>
internal static class HubOptionsRules
{
    public static IEnumerable<string> Check(HubOptions options) => CheckStorage(options).Concat(CheckSecurity(options));

    private static IEnumerable<string> CheckStorage(HubOptions options)
    {
        if (options.Storage == HubOptions.PostgresStorage && options.PostgresConnectionString is null)
        {
            yield return "--storage postgres needs --postgres CONN or --postgres-file FILE (an Npgsql connection string, e.g. \"Host=127.0.0.1;Username=fleet;Database=fleet\")";
        }

        if (options.Storage != HubOptions.PostgresStorage && options.PostgresConnectionString is not null)
        {
            yield return "--postgres (or --postgres-file) goes with --storage postgres";
        }

        if (options.Storage != HubOptions.PostgresStorage && options.ClusterIdFlag is not null)
        {
            yield return "--cluster-id goes with --storage postgres (a hub on SQLite is one node)";
        }

        if (options.HealthUrl is not null && options.MetricsUrl is not null
            && new Uri(options.HealthUrl).Authority == new Uri(options.MetricsUrl).Authority)
        {
            yield return "--health-url and --metrics-url need different ports";
        }
    }

    private static IEnumerable<string> CheckSecurity(HubOptions options)
    {
        var urls = options.EffectiveUrls.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToList();
        if (options.Insecure)
        {
            if (urls.Any(u => u.Scheme == "https"))
            {
                yield return "--insecure serves plaintext http:// only; drop --insecure to serve https://";
            }

            if (!options.AllowRemoteInsecure && urls.FirstOrDefault(u => !IsLoopback(u.Host)) is { } remote)
            {
                yield return $"--insecure would accept anyone on {remote.Host} without authentication: listen on loopback " +
                             "(e.g. http://127.0.0.1:7400), or add --insecure-allow-remote if that is really meant";
            }

            if (options.TlsCertificate is not null || options.CaCertificate is not null || options.Hosts.Count > 0 || options.ResetAdminToken)
            {
                yield return "--tls-cert, --ca-cert, --host and --reset-admin-token apply to a secure hub, not to --insecure";
            }
        }
        else
        {
            if (urls.Any(u => u.Scheme == "http"))
            {
                yield return "the hub serves TLS only: use an https:// URL, or --insecure for plaintext local development";
            }

            if (options.AllowRemoteInsecure)
            {
                yield return "--insecure-allow-remote only goes with --insecure";
            }
        }

        if (options.DashboardUrl is { } dashboard && !options.Insecure && Uri.TryCreate(dashboard, UriKind.Absolute, out var dashboardUri) && dashboardUri.Scheme != "https")
        {
            // Its login form carries a token and its cookie a session: neither may cross the network in plaintext.
            yield return $"--dashboard-url {dashboard}: a secure hub serves the dashboard over TLS only (its login carries a token): use an https:// URL, or --insecure for plaintext local development";
        }

        if (options.DashboardUrl is { } open && options.Insecure && !options.AllowRemoteInsecure && Uri.TryCreate(open, UriKind.Absolute, out var openUri))
        {
            if (openUri.Scheme == "https")
            {
                yield return "--dashboard-url: an --insecure hub serves the dashboard on plaintext http:// only";
            }
            else if (!IsLoopback(openUri.Host))
            {
                yield return $"--dashboard-url: an --insecure hub's dashboard would let anyone on {openUri.Host} run rollouts: listen on loopback, or add --insecure-allow-remote";
            }
        }

        if ((options.TlsCertificate is null) != (options.TlsKey is null))
        {
            yield return "--tls-cert and --tls-key go together";
        }

        if ((options.CaCertificate is null) != (options.CaKey is null))
        {
            yield return "--ca-cert and --ca-key go together";
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
