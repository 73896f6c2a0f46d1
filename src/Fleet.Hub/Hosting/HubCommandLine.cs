using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Fleet.Domain.Time;

namespace Fleet.Hub.Hosting;

/// <summary>
/// fleet-hub's flags (SPEC §1 fleet-hub), parsed by System.CommandLine into typed values. Every bad
/// value is reported (and a bad command line starts nothing); the combinations are checked by
/// <see cref="HubOptionsRules"/>.
/// </summary>
internal static class HubCommandLine
{
    private static readonly HubOptions Defaults = new();

    public static HubCommandLineResult Parse(IReadOnlyList<string> args)
    {
        var flags = new Flags();
        var root = flags.Command();
        // No @response-files: a hub's arguments are what its unit file or manifest says, nothing else.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is HelpAction help)
        {
            return new HubCommandLineResult(null, [], output => result.Invoke(new InvocationConfiguration { Output = output }));
        }

        if (result.Errors.Count > 0)
        {
            return new HubCommandLineResult(null, [.. result.Errors.Select(e => e.Message).Distinct()], null);
        }

        var options = flags.Read(result);
        var errors = HubOptionsRules.Check(options).ToList();
        return new HubCommandLineResult(errors.Count == 0 ? options : null, errors, null);
    }

    /// <summary>The options of one parse (System.CommandLine symbols belong to one command).</summary>
    private sealed class Flags
    {
        public Option<string?> Urls { get; } = new("--urls")
        {
            // The default depends on --insecure, so it is written out here rather than shown from a factory.
            Description = $"where it listens for agents and operators, ';'-separated [default: {HubOptions.DefaultSecureUrl}, {HubOptions.DefaultInsecureUrl} with --insecure]",
            HelpName = "URL",
            CustomParser = ParseUrls,
        };

        public Option<string> DataDirectory { get; } = new("--data-dir")
        {
            Description = "the hub's directory (created 0700 if missing): ca.crt (what clients trust), the keys and admin.token (0600), and with --storage sqlite all state",
            HelpName = "DIR",
            DefaultValueFactory = _ => Defaults.DataDirectory,
            CustomParser = ParseDirectory,
        };

        public Option<string> Storage { get; } = CreateStorage();

        public Option<string?> Postgres { get; } = new("--postgres")
        {
            Description = "Npgsql connection string (with --storage postgres), e.g. \"Host=db;Username=fleet;Password=...;Database=fleet\"; the hub creates or upgrades its schema at start",
            HelpName = "CONN",
            CustomParser = ParsePostgres,
        };

        public Option<string?> PostgresFile { get; } = new("--postgres-file")
        {
            Description = "read the connection string of --postgres from this file (owner-only, e.g. a mounted Secret): it then stays out of the process list",
            HelpName = "FILE",
            CustomParser = ParsePostgresFile,
        };

        public Option<int> SiloPort { get; } = Port("--silo-port", "Orleans silo port", Defaults.SiloPort);

        public Option<int> GatewayPort { get; } = Port("--gateway-port", "Orleans gateway port", Defaults.GatewayPort);

        public Option<string[]> Hosts { get; } = new("--host")
        {
            Description = "another DNS name or address for the generated serving certificate (repeatable; loopback and the hosts of --urls are always included)",
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseHosts,
        };

        public Option<string?> TlsCertificate { get; } = File("--tls-cert", "serve with this certificate (PEM, leaf then intermediates) instead of a generated one");

        public Option<string?> TlsKey { get; } = File("--tls-key", "its private key (PEM, readable by the owner only)");

        public Option<string?> CaCertificate { get; } = File("--ca-cert", "issue agent (and generated serving) certificates from this CA instead of a generated one");

        public Option<string?> CaKey { get; } = File("--ca-key", "its private key (PEM, readable by the owner only)");

        // No factory: help would show the default as TimeSpan prints it (1.00:00:00), not as it is written.
        public Option<TimeSpan?> AgentCertificateTtl { get; } = new("--agent-cert-ttl")
        {
            Description = $"lifetime of agents' client certificates, 5m to 365d; they renew at two thirds of it [default: {Durations.Format(Defaults.AgentCertificateLifetime)}]",
            HelpName = "DURATION",
            CustomParser = ParseTtl,
        };

        public Option<bool> ResetAdminToken { get; } = new("--reset-admin-token")
        {
            Description = "revoke every admin token and write a new DATA-DIR/admin.token, then serve",
        };

        public Option<bool> Insecure { get; } = new("--insecure")
        {
            Description = "plaintext h2c and no authentication: local development only; loopback only unless --insecure-allow-remote",
        };

        public Option<bool> InsecureAllowRemote { get; } = new("--insecure-allow-remote")
        {
            Description = "let an --insecure hub listen on other addresses than loopback",
        };

        public Option<string?> MetricsUrl { get; } = new("--metrics-url")
        {
            Description = "serve Prometheus metrics over plain HTTP here, e.g. http://127.0.0.1:9464/metrics (default off; unauthenticated, aggregate figures only); OTLP export follows OTEL_EXPORTER_OTLP_ENDPOINT",
            HelpName = "URL",
            CustomParser = ParseMetricsUrl,
        };

        public Option<string?> ClusterId { get; } = new("--cluster-id")
        {
            Description = $"with --storage postgres: every node started with the same database and ID is a node of one hub; hubs under other IDs share the database apart [default: {HubOptions.DefaultClusterId}]",
            HelpName = "ID",
            CustomParser = ParseClusterId,
        };

        public Option<string?> Advertise { get; } = new("--advertise")
        {
            Description = "the address (IP or DNS name) other nodes reach this node's silo on [default: the first non-loopback address; 127.0.0.1 when --urls is loopback]",
            HelpName = "HOST",
            CustomParser = ParseAdvertise,
        };

        public Option<string?> HealthUrl { get; } = new("--health-url")
        {
            Description = "plain HTTP/1.1 listener for probes, e.g. http://0.0.0.0:8080: GET /healthz (the process serves), GET /readyz (the node is active in its cluster and storage answers) (default off)",
            HelpName = "URL",
            CustomParser = ParseHealthUrl,
        };

        public Option<string?> WebhookKeyFile { get; } = File("--webhook-key-file", "sign webhook calls with the key in this file (at least 32 characters, readable by the owner only; give every node of a cluster the same) [default: DATA-DIR/webhook.key, created at first start]");

        public Option<bool> AllowHttpWebhooks { get; } = new("--allow-http-webhooks")
        {
            Description = "let gates call plain http webhooks on other hosts than loopback (the body and its signature then cross the network in clear)",
        };

        public Option<string?> DashboardUrl { get; } = new("--dashboard-url")
        {
            Description = "serve the web dashboard there, e.g. http://127.0.0.1:7480 (default off)",
            HelpName = "URL",
            CustomParser = ParseDashboardUrl,
        };

        public RootCommand Command()
        {
            var command = new RootCommand("fleet-hub: the Fleet hub (gRPC for agents and operators, an Orleans silo, its storage)")
            {
                Urls, DataDirectory, Storage, Postgres, PostgresFile, SiloPort, GatewayPort, Hosts, TlsCertificate, TlsKey, CaCertificate, CaKey,
                AgentCertificateTtl, ResetAdminToken, Insecure, InsecureAllowRemote, MetricsUrl, ClusterId, Advertise, HealthUrl,
                WebhookKeyFile, AllowHttpWebhooks, DashboardUrl,
            };
            command.Validators.Add(result =>
            {
                if (result.GetResult(Postgres) is not null && result.GetResult(PostgresFile) is not null)
                {
                    result.AddError("--postgres and --postgres-file both give the connection string; give one of them");
                }
            });
            return command;
        }

        public HubOptions Read(ParseResult result) => new()
        {
            Urls = result.GetValue(Urls),
            DataDirectory = result.GetValue(DataDirectory)!,
            Storage = result.GetValue(Storage)!,
            PostgresConnectionString = result.GetValue(Postgres) ?? result.GetValue(PostgresFile),
            SiloPort = result.GetValue(SiloPort),
            GatewayPort = result.GetValue(GatewayPort),
            Hosts = result.GetValue(Hosts) ?? [],
            TlsCertificate = result.GetValue(TlsCertificate),
            TlsKey = result.GetValue(TlsKey),
            CaCertificate = result.GetValue(CaCertificate),
            CaKey = result.GetValue(CaKey),
            AgentCertificateLifetime = result.GetValue(AgentCertificateTtl) ?? Defaults.AgentCertificateLifetime,
            ResetAdminToken = result.GetValue(ResetAdminToken),
            Insecure = result.GetValue(Insecure),
            AllowRemoteInsecure = result.GetValue(InsecureAllowRemote),
            MetricsUrl = result.GetValue(MetricsUrl),
            ClusterIdFlag = result.GetValue(ClusterId),
            Advertise = result.GetValue(Advertise),
            HealthUrl = result.GetValue(HealthUrl),
            WebhookKeyFile = result.GetValue(WebhookKeyFile),
            AllowHttpWebhooks = result.GetValue(AllowHttpWebhooks),
            DashboardUrl = result.GetValue(DashboardUrl),
        };

        private static Option<string> CreateStorage() => new("--storage")
        {
            Description = "state backend: sqlite (in --data-dir) or postgres (needs --postgres)",
            HelpName = "sqlite|postgres",
            DefaultValueFactory = _ => Defaults.Storage,
            CustomParser = result =>
            {
                var storage = Single(result);
                if (storage is not (HubOptions.SqliteStorage or HubOptions.PostgresStorage))
                {
                    result.AddError($"--storage: '{storage}' is not supported by this hub (supported: sqlite, postgres)");
                }

                return storage;
            },
        };

        private static Option<int> Port(string name, string what, int fallback) => new(name)
        {
            Description = what,
            HelpName = "N",
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                var text = Single(result);
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
                {
                    return port;
                }

                result.AddError($"{name}: '{text}' is not a port number (1-65535)");
                return 0;
            },
        };

        private static Option<string?> File(string name, string description) => new(name)
        {
            Description = description,
            HelpName = "FILE",
            CustomParser = result =>
            {
                var path = Single(result);
                if (path.Length == 0)
                {
                    result.AddError($"{name}: the path is empty");
                }
                else if (!System.IO.File.Exists(path))
                {
                    result.AddError(Directory.Exists(path) ? $"{name}: {path} is a directory, not a file" : $"{name}: {path} does not exist");
                }

                return path;
            },
        };
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string? ParseUrls(ArgumentResult result)
    {
        var text = Single(result);
        var urls = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            // Kestrel would silently fall back to http://localhost:5000.
            result.AddError($"--urls: '{text}' names no URL (e.g. {HubOptions.DefaultSecureUrl})");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                result.AddError($"--urls: '{url}' is not an http:// or https:// URL");
            }
        }

        return string.Join(';', urls);
    }

    private static string ParseDirectory(ArgumentResult result)
    {
        var path = Single(result);
        if (string.IsNullOrWhiteSpace(path))
        {
            result.AddError("--data-dir: the path is empty");
        }

        return path;
    }

    private static string? ParsePostgres(ArgumentResult result) => CheckConnectionString(result, "--postgres", Single(result));

    private static string? ParsePostgresFile(ArgumentResult result)
    {
        const string flag = "--postgres-file";
        var path = Single(result);
        if (path.Length == 0)
        {
            result.AddError($"{flag}: the path is empty");
            return null;
        }

        if (!File.Exists(path))
        {
            result.AddError(Directory.Exists(path) ? $"{flag}: {path} is a directory, not a file" : $"{flag}: {path} does not exist");
            return null;
        }

        try
        {
            Security.GivenFiles.RequireOwnerOnly(flag, path);
            // One line as a Secret or `echo` writes it; the line end is not part of the string.
            var connection = Security.GivenFiles.ReadText(flag, path, 64 * 1024, "a connection string").Trim();
            // Never the file's content in a message: it holds a password.
            return CheckConnectionString(result, $"{flag} {path}", connection);
        }
        catch (HubStartupException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }

    private static string? CheckConnectionString(ArgumentResult result, string source, string connection)
    {
        try
        {
            var settings = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            if (string.IsNullOrWhiteSpace(settings.Host))
            {
                result.AddError($"{source}: the connection string names no Host");
            }
        }
        catch (ArgumentException exception)
        {
            result.AddError($"{source}: not a valid Npgsql connection string: {exception.Message}");
        }

        return connection;
    }

    private static string[] ParseHosts(ArgumentResult result)
    {
        var hosts = result.Tokens.Select(t => t.Value).ToArray();
        foreach (var host in hosts.Where(h => Uri.CheckHostName(h) == UriHostNameType.Unknown))
        {
            result.AddError($"--host: '{host}' is not a DNS name or an IP address");
        }

        return hosts;
    }

    private static TimeSpan? ParseTtl(ArgumentResult result)
    {
        var text = Single(result);
        if (Durations.TryParse(text, out var lifetime) && lifetime >= TimeSpan.FromMinutes(5) && lifetime <= TimeSpan.FromDays(365))
        {
            return lifetime;
        }

        result.AddError($"--agent-cert-ttl: '{text}' is not a duration between 5m and 365d (e.g. 24h)");
        return null;
    }

    private static string? ParseMetricsUrl(ArgumentResult result)
    {
        var text = Single(result);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port > 0 && uri.Host.Length > 0
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            // A bare host:port serves the conventional path.
            return uri.AbsolutePath == "/" ? new Uri(uri, "/metrics").ToString() : uri.ToString();
        }

        result.AddError($"--metrics-url: '{text}' is not an http:// URL with a port, e.g. http://127.0.0.1:9464/metrics");
        return null;
    }

    private static string? ParseClusterId(ArgumentResult result)
    {
        var text = Single(result);
        if (!HubOptions.IsValidClusterId(text))
        {
            result.AddError($"--cluster-id: '{text}' is not a cluster ID (1-63 characters: lower-case letters, digits and '-', starting with a letter or digit)");
        }

        return text;
    }

    private static string? ParseAdvertise(ArgumentResult result)
    {
        var text = Single(result);
        if (Uri.CheckHostName(text) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            result.AddError($"--advertise: '{text}' is not an IP address or a DNS name");
        }

        return text;
    }

    private static string? ParseHealthUrl(ArgumentResult result)
    {
        var text = Single(result);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Host.Length > 0
            && !text.EndsWith(":0", StringComparison.Ordinal) && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return $"http://{uri.Authority}";
        }

        result.AddError($"--health-url: '{text}' is not an http://HOST:PORT address, e.g. http://0.0.0.0:8080 (the probes are /healthz and /readyz)");
        return null;
    }

    private static string? ParseDashboardUrl(ArgumentResult result)
    {
        var text = Single(result);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            && !text.EndsWith(":0", StringComparison.Ordinal) && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return $"{uri.Scheme}://{uri.Authority}";
        }

        result.AddError($"--dashboard-url: '{text}' is not an http://HOST:PORT address, e.g. http://127.0.0.1:7480");
        return null;
    }
}
