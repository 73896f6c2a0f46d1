namespace Fleet.Domain.Rendering;

/// <summary>The drivers an agent can run (<c>fleet-agent --driver</c>); a resource kind belongs to exactly one (which a git target also applies, for manifests: <see cref="Applies"/>).</summary>
public static class DriverNames
{
    public const string Files = "files";
    public const string Exec = "exec";
    public const string Kubernetes = "kubernetes";

    /// <summary>Writes manifests into a git repository for Argo CD or Flux to apply (SPEC §9): it takes what kubernetes takes.</summary>
    public const string Git = "git";

    /// <summary>Every driver, in the order help and messages list them: what an agent may say in its hello and on its command line.</summary>
    public static readonly IReadOnlyList<string> All = [Files, Exec, Kubernetes, Git];

    /// <summary>Whether a target of <paramref name="targetDriver"/> applies a resource whose kind belongs to <paramref name="resourceDriver"/>.</summary>
    public static bool Applies(string resourceDriver, string targetDriver) =>
        resourceDriver == targetDriver || (resourceDriver == Kubernetes && targetDriver == Git);
}
