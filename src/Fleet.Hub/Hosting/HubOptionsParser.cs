using Fleet.Domain.Time;
using System.Globalization;

namespace Fleet.Hub.Hosting;

/// <summary>Parses fleet-hub's flags; every problem is reported, and a bad command line starts nothing.</summary>
public static class HubOptionsParser
{
    public const string Usage = """
        usage: fleet-hub [--urls URL] [--data-dir DIR] [--storage sqlite|postgres [--postgres CONN]] [--silo-port N] [--gateway-port N]
                         [--host NAME]... [--tls-cert FILE --tls-key FILE] [--ca-cert FILE --ca-key FILE]
                         [--agent-cert-ttl DURATION] [--reset-admin-token] [--insecure [--insecure-allow-remote]]
                         [--metrics-url URL]

          --urls URL              where it listens for agents and operators (default https://127.0.0.1:7400, http:// with --insecure)
          --data-dir DIR          embedded storage directory, created if missing (default .fleet/hub); holds ca.crt (what
                                  clients trust), the keys (0600) and admin.token (0600), with any --storage
          --storage KIND          state backend: sqlite (default, in --data-dir) or postgres (needs --postgres)
          --postgres CONN         Npgsql connection string, e.g. "Host=db;Username=fleet;Password=...;Database=fleet";
                                  the hub creates or upgrades its schema at start
          --silo-port N           Orleans silo port (default 11111)
          --gateway-port N        Orleans gateway port (default 30000)
          --host NAME             another DNS name or address for the generated serving certificate (repeatable;
                                  loopback and the hosts of --urls are always included)
          --tls-cert FILE         serve with this certificate (PEM, leaf then intermediates) instead of a generated one
          --tls-key FILE          its private key (PEM)
          --ca-cert FILE          issue agent (and generated serving) certificates from this CA instead of a generated one
          --ca-key FILE           its private key (PEM)
          --agent-cert-ttl D      lifetime of agents' client certificates; they renew at two thirds of it (default 24h)
          --reset-admin-token     revoke every admin token and write a new DATA-DIR/admin.token, then serve
          --insecure              plaintext h2c and no authentication: local development only; loopback only unless
          --insecure-allow-remote also given, which lets an --insecure hub listen on other addresses
          --metrics-url URL       serve Prometheus metrics over plain HTTP here, e.g. http://127.0.0.1:9464/metrics (off by
                                  default; unauthenticated, aggregate figures only). OTLP export of traces and metrics
                                  follows the standard OTEL_EXPORTER_OTLP_ENDPOINT environment variable
        """;

    public static (HubOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var options = new HubOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = Split(args[i]);
            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{flag} needs a value");
                return null;
            }

            switch (flag)
            {
                case "-h" or "--help":
                    return (null, [], true);
                case "--insecure":
                    options = options with { Insecure = true };
                    break;
                case "--insecure-allow-remote":
                    options = options with { AllowRemoteInsecure = true };
                    break;
                case "--reset-admin-token":
                    options = options with { ResetAdminToken = true };
                    break;
                case "--host":
                    if (Value() is { } host)
                    {
                        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                        {
                            errors.Add($"--host: '{host}' is not a DNS name or an IP address");
                        }

                        options = options with { Hosts = [.. options.Hosts, host] };
                    }

                    break;
                case "--tls-cert":
                    options = options with { TlsCertificate = ExistingFile(Value(), flag, errors) };
                    break;
                case "--tls-key":
                    options = options with { TlsKey = ExistingFile(Value(), flag, errors) };
                    break;
                case "--ca-cert":
                    options = options with { CaCertificate = ExistingFile(Value(), flag, errors) };
                    break;
                case "--ca-key":
                    options = options with { CaKey = ExistingFile(Value(), flag, errors) };
                    break;
                case "--agent-cert-ttl":
                    if (Value() is { } ttl)
                    {
                        if (Durations.TryParse(ttl, out var lifetime) && lifetime >= TimeSpan.FromMinutes(5) && lifetime <= TimeSpan.FromDays(365))
                        {
                            options = options with { AgentCertificateLifetime = lifetime };
                        }
                        else
                        {
                            errors.Add($"--agent-cert-ttl: '{ttl}' is not a duration between 5m and 365d (e.g. 24h)");
                        }
                    }

                    break;
                case "--urls":
                    if (Value() is { } urls)
                    {
                        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                            {
                                errors.Add($"--urls: '{url}' is not an http:// or https:// URL");
                            }
                        }

                        options = options with { Urls = urls };
                    }

                    break;
                case "--data-dir":
                    if (Value() is { } dir)
                    {
                        options = options with { DataDirectory = dir };
                    }

                    break;
                case "--metrics-url":
                    if (Value() is { } metrics)
                    {
                        if (Uri.TryCreate(metrics, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port > 0
                            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
                        {
                            // A bare host:port serves the conventional path.
                            options = options with { MetricsUrl = uri.AbsolutePath == "/" ? new Uri(uri, "/metrics").ToString() : uri.ToString() };
                        }
                        else
                        {
                            errors.Add($"--metrics-url: '{metrics}' is not an http:// URL with a port, e.g. http://127.0.0.1:9464/metrics");
                        }
                    }

                    break;
                case "--storage":
                    if (Value() is { } storage)
                    {
                        if (storage is not (HubOptions.SqliteStorage or HubOptions.PostgresStorage))
                        {
                            errors.Add($"--storage: '{storage}' is not supported by this hub (supported: sqlite, postgres)");
                        }

                        options = options with { Storage = storage };
                    }

                    break;
                case "--postgres":
                    if (Value() is { } connection)
                    {
                        if (PostgresConnectionError(connection) is { } error)
                        {
                            errors.Add($"--postgres: {error}");
                        }

                        options = options with { PostgresConnectionString = connection };
                    }

                    break;
                case "--silo-port":
                    if (Port(Value(), flag, errors) is { } silo)
                    {
                        options = options with { SiloPort = silo };
                    }

                    break;
                case "--gateway-port":
                    if (Port(Value(), flag, errors) is { } gateway)
                    {
                        options = options with { GatewayPort = gateway };
                    }

                    break;
                default:
                    errors.Add($"unknown argument '{args[i]}'");
                    break;
            }
        }

        errors.AddRange(CheckStorage(options));
        errors.AddRange(CheckSecurity(options));
        return (errors.Count == 0 ? options : null, errors, false);
    }

    /// <summary>A connection string that would be ignored, or a backend without one, is refused rather than guessed at.</summary>
    private static IEnumerable<string> CheckStorage(HubOptions options)
    {
        if (options.Storage == HubOptions.PostgresStorage && options.PostgresConnectionString is null)
        {
            yield return "--storage postgres needs --postgres CONN (an Npgsql connection string, e.g. \"Host=127.0.0.1;Username=fleet;Database=fleet\")";
        }

        if (options.Storage != HubOptions.PostgresStorage && options.PostgresConnectionString is not null)
        {
            yield return "--postgres goes with --storage postgres";
        }
    }

    /// <summary>Why Npgsql would refuse <paramref name="connection"/> (checked here, so nothing starts with it), or null.</summary>
    private static string? PostgresConnectionError(string connection)
    {
        try
        {
            var settings = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            return string.IsNullOrWhiteSpace(settings.Host) ? "the connection string names no Host" : null;
        }
        catch (ArgumentException exception)
        {
            return $"not a valid Npgsql connection string: {exception.Message}";
        }
    }

    /// <summary>The combinations that would silently weaken the hub are refused rather than guessed at.</summary>
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

    private static string? ExistingFile(string? path, string flag, List<string> errors)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"{flag}: {path} does not exist");
        }

        return path;
    }

    private static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static int? Port(string? text, string flag, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        errors.Add($"{flag}: '{text}' is not a port number (1-65535)");
        return null;
    }
}
