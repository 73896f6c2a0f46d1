namespace Fleet.Hub.Hosting;

/// <summary>The hub's command-line settings (SPEC §1 fleet-hub) with their documented defaults.</summary>
public sealed record HubOptions
{
    public const string DefaultSecureUrl = "https://127.0.0.1:7400";
    public const string DefaultInsecureUrl = "http://127.0.0.1:7400";

    /// <summary>Where it listens; null means the default for the security mode.</summary>
    public string? Urls { get; init; }

    public string DataDirectory { get; init; } = Path.Combine(".fleet", "hub");
    public string Storage { get; init; } = "sqlite";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    public bool Insecure { get; init; }

    public string EffectiveUrls => Urls ?? (Insecure ? DefaultInsecureUrl : DefaultSecureUrl);
}
