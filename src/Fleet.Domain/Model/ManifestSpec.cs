using Fleet.Domain.Serialization;

namespace Fleet.Domain.Model;

/// <summary>
/// A Kubernetes object the kubernetes driver applies, in the expression value model (maps, lists, strings, <c>long</c>,
/// <c>double</c>, <c>bool</c>, null). Every string may hold <c>${...}</c>; one that is exactly one expression takes the
/// expression's type when rendered.
/// </summary>
public sealed record ManifestSpec
{
    public required IReadOnlyDictionary<string, object?> Object { get; init; }

    // Equal objects have equal canonical JSON, whatever dictionary and list types hold them.
    public bool Equals(ManifestSpec? other) => other is not null && ValueJson.Serialize(Object) == ValueJson.Serialize(other.Object);

    public override int GetHashCode() => ValueJson.Serialize(Object).GetHashCode(StringComparison.Ordinal);
}
