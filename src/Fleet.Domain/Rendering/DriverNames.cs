namespace Fleet.Domain.Rendering;

/// <summary>The drivers an agent can run (<c>fleet-agent --driver</c>); a resource kind belongs to exactly one.</summary>
public static class DriverNames
{
    public const string Files = "files";
    public const string Exec = "exec";
    public const string Kubernetes = "kubernetes";
}
