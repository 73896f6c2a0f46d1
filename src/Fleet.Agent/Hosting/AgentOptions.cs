namespace Fleet.Agent.Hosting;

/// <summary>The agent's command-line settings (SPEC §1 fleet-agent).</summary>
public sealed record AgentOptions
{
    public IReadOnlyList<Uri> Hubs { get; init; } = [];
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string Driver { get; init; } = "files";
    public string? Root { get; init; }
    public required string StateDirectory { get; init; }
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(30);
    public bool Insecure { get; init; }

    /// <summary>kubernetes driver: the kubeconfig file (--kubeconfig); null: in-cluster, then $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>kubernetes driver: the kubeconfig context (--context); null: the file's current context.</summary>
    public string? KubeContext { get; init; }

    /// <summary>kubernetes driver: take fields other field managers own on apply (--force-conflicts) instead of reporting the conflict.</summary>
    public bool ForceConflicts { get; init; }

    /// <summary>git driver: the repository, branch and directory (--repo, --branch, --path); null for the other drivers.</summary>
    internal Drivers.Git.GitOptions? Git { get; init; }

    /// <summary>Enrollment token (--token or --token-file); only used while the agent has no valid certificate.</summary>
    public Enrollment.EnrollmentToken? Token { get; init; }

    /// <summary>The hub CA to trust (--ca); null: the machine's trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>--import: the desired bundle to apply once (absolute path); null: the agent connects to a hub and runs.</summary>
    public string? ImportFile { get; init; }

    /// <summary>--report-out: where --import writes the report bundle (absolute path).</summary>
    public string? ReportFile { get; init; }

    /// <summary>How often the agent proves it is alive; the hub's lease is three of these.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
}
