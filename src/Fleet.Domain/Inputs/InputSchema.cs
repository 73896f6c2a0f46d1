namespace Fleet.Domain.Inputs;

/// <summary>
/// The typed inputs of a capability (<c>spec.inputs</c>, SPEC §2), or the fields of one object input. Fields are kept
/// sorted by name: the order they were written in means nothing, so it must not make a new revision.
/// </summary>
public sealed class InputSchema : IEquatable<InputSchema>
{
    /// <summary>Most inputs of a capability, and most fields of one object input.</summary>
    public const int MaxFields = 100;

    /// <summary>How deep inputs may nest: the inputs themselves are level 1, and every object, list and map adds one.</summary>
    public const int MaxDepth = 8;

    private readonly Dictionary<string, InputField> _byName;

    /// <exception cref="ArgumentException">Two fields share a name.</exception>
    public InputSchema(IEnumerable<InputField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = [.. fields.OrderBy(f => f.Name, StringComparer.Ordinal)];
        _byName = new Dictionary<string, InputField>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!_byName.TryAdd(field.Name, field))
            {
                throw new ArgumentException($"duplicate input '{field.Name}'", nameof(fields));
            }
        }

        Depth = 1 + (Fields.Count == 0 ? 0 : Fields.Max(f => f.Type.Depth));
    }

    /// <summary>The inputs, sorted ordinally by name.</summary>
    public IReadOnlyList<InputField> Fields { get; }

    /// <summary>Levels of nesting, this one included (1 when every input is a scalar).</summary>
    public int Depth { get; }

    public InputField? Find(string name) => _byName.GetValueOrDefault(name);

    public bool Equals(InputSchema? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override bool Equals(object? obj) => obj is InputSchema other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Fields.Count, Fields.Count > 0 ? Fields[0].Name : "");
}
