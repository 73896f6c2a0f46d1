namespace Fleet.Domain.Inputs;

/// <summary>
/// One way an Instance's inputs do not fit the capability's schema. <see cref="Path"/> names the input as it sits in the
/// Instance document (<c>spec.inputs.db.port</c>, <c>spec.inputs.tags[2]</c>).
/// </summary>
internal sealed record InputViolation(string Path, string Message)
{
    /// <summary>The path as keys (<c>string</c>) and list indexes (<c>int</c>) below <c>spec.inputs</c>, to find the value in the document.</summary>
    internal IReadOnlyList<object> Segments { get; init; } = [];

    /// <summary>What the violation is about: the value at <see cref="Segments"/>, its key (an unknown input), or its absence.</summary>
    internal InputViolationKind Kind { get; init; }

    public override string ToString() => $"{Path}: {Message}";
}
