using Fleet.Domain.Serialization;

namespace Fleet.Domain.Model;

/// <summary>
/// An Instance as the operator declared it (SPEC §2): a request for a capability that takes inputs. <see cref="Inputs"/>
/// are the values as given, in the expression value model (strings, <c>long</c>, <c>double</c>, <c>bool</c>, lists,
/// string-keyed maps, null); they are checked against the capability's schema, and defaults applied, by
/// <c>InstanceInputs.Check</c>.
/// </summary>
public sealed record InstanceSpec
{
    public required string Name { get; init; }

    public required string Capability { get; init; }

    /// <summary>The inputs as given; empty when the document has none.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new SortedDictionary<string, object?>(StringComparer.Ordinal);

    // Inputs compare by what they hold, whatever dictionary types hold them.
    public bool Equals(InstanceSpec? other) =>
        other is not null && Name == other.Name && Capability == other.Capability
        && InputValuesJson.Serialize(Inputs) == InputValuesJson.Serialize(other.Inputs);

    public override int GetHashCode() => HashCode.Combine(Name, Capability, Inputs.Count);
}
