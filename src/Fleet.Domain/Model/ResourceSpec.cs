namespace Fleet.Domain.Model;

/// <summary>One resource of a capability. Exactly one of <see cref="File"/>, <see cref="Manifest"/> and <see cref="Exec"/> is set.</summary>
public sealed record ResourceSpec
{
    public required string Id { get; init; }
    public FileSpec? File { get; init; }
    public ManifestSpec? Manifest { get; init; }
    public ExecSpec? Exec { get; init; }

    /// <summary>
    /// Manifests only: each a single <c>${...}</c> over <c>self</c> (the object as observed on the cluster; in a capability
    /// with inputs also <c>inputs</c> and <c>instance</c>, written in as values when rendered for an Instance) that must be
    /// true for the resource to count as ready. Empty: the driver's built-in readiness rules.
    /// </summary>
    public IReadOnlyList<string> ReadyWhen { get; init; } = [];

    /// <summary>
    /// Each a single <c>${...}</c> over <c>target</c> and <c>capability</c> (and <c>inputs</c> and <c>instance</c> in a capability
    /// with inputs); the resource reaches a target only when every one is true for it. Empty: every target its driver applies.
    /// </summary>
    public IReadOnlyList<string> IncludeWhen { get; init; } = [];

    // Value equality over the list too, so a spec read back from storage equals the one written.
    public bool Equals(ResourceSpec? other) =>
        other is not null && Id == other.Id && Equals(File, other.File) && Equals(Manifest, other.Manifest)
        && Equals(Exec, other.Exec) && ReadyWhen.SequenceEqual(other.ReadyWhen) && IncludeWhen.SequenceEqual(other.IncludeWhen);

    public override int GetHashCode() => HashCode.Combine(Id, File, Manifest, Exec, ReadyWhen.Count);
}
