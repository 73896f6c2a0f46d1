namespace Fleet.Hub.Hosting;

/// <summary>The hub's command-line settings (SPEC §1 fleet-hub) with their documented defaults.</summary>
public sealed record HubOptions
{
    public const string DefaultSecureUrl = "https://127.0.0.1:7400";
    public const string DefaultInsecureUrl = "http://127.0.0.1:7400";

    /// <summary>Where it listens; null means the default for the security mode.</summary>
    public string? Urls { get; init; }

    public const string SqliteStorage = "sqlite";
    public const string PostgresStorage = "postgres";

    /// <summary>
    /// The PKI files (CA, serving certificate, admin token) always; and all durable state too with
    /// <see cref="SqliteStorage"/>.
    /// </summary>
    public string DataDirectory { get; init; } = Path.Combine(".fleet", "hub");

    /// <summary>Where grain state, reminders and the security store live: <see cref="SqliteStorage"/> or <see cref="PostgresStorage"/>.</summary>
    public string Storage { get; init; } = SqliteStorage;

    /// <summary>The Npgsql connection string of <see cref="PostgresStorage"/> (--postgres, or the content of --postgres-file).</summary>
    public string? PostgresConnectionString { get; init; }

    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    public bool Insecure { get; init; }

    /// <summary>--insecure may listen on a non-loopback address only with this (--insecure-allow-remote).</summary>
    public bool AllowRemoteInsecure { get; init; }

    /// <summary>Extra DNS names or addresses the generated serving certificate covers (--host).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>An operator's serving certificate (PEM, leaf first, then any intermediates) and key.</summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>An operator's CA (PEM certificate and key) to issue agent and serving certificates from.</summary>
    public string? CaCertificate { get; init; }

    public string? CaKey { get; init; }

    /// <summary>How long an agent's client certificate is valid; agents renew at two thirds of it.</summary>
    public TimeSpan AgentCertificateLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Revoke every admin token and write a new admin.token (break-glass, needs the data directory).</summary>
    public bool ResetAdminToken { get; init; }

    /// <summary>Where Prometheus scrapes metrics (--metrics-url, plain HTTP); null: not served.</summary>
    public string? MetricsUrl { get; init; }

    public const string DefaultClusterId = "fleet";

    /// <summary>--cluster-id as given; null when the flag was not given (it then is <see cref="DefaultClusterId"/>).</summary>
    public string? ClusterIdFlag { get; init; }

    /// <summary>Which Orleans cluster (and which share of a PostgreSQL database) this node belongs to.</summary>
    public string ClusterId => ClusterIdFlag ?? DefaultClusterId;

    /// <summary>The address other nodes reach this node's silo on (--advertise); null: chosen at start.</summary>
    public string? Advertise { get; init; }

    /// <summary>Where /healthz and /readyz are served (--health-url, plain HTTP/1.1); null: not served.</summary>
    public string? HealthUrl { get; init; }

    /// <summary><c>--webhook-key-file</c>: the key webhook calls are signed with, instead of DATA-DIR/webhook.key.</summary>
    public string? WebhookKeyFile { get; init; }

    /// <summary><c>--allow-http-webhooks</c>: plain http webhooks to other hosts than loopback.</summary>
    public bool AllowHttpWebhooks { get; init; }

    /// <summary>Where the web dashboard is served (--dashboard-url, SPEC §8); null: not served.</summary>
    public string? DashboardUrl { get; init; }

    /// <summary>
    /// A cluster ID names a share of the database (and the Orleans cluster), so it is kept to what is
    /// safe in a SQL identifier and a DNS label: lower-case letters, digits and '-', at most 63.
    /// </summary>
    public static bool IsValidClusterId(string id) =>
        id.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public string EffectiveUrls => Urls ?? (Insecure ? DefaultInsecureUrl : DefaultSecureUrl);
}
