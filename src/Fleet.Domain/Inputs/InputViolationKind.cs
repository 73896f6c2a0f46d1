namespace Fleet.Domain.Inputs;

/// <summary>Where in an Instance document an <see cref="InputViolation"/> is best pointed at.</summary>
internal enum InputViolationKind
{
    /// <summary>The value is wrong: point at the value.</summary>
    Value,

    /// <summary>The name is not an input: point at the key.</summary>
    UnknownKey,

    /// <summary>The input is missing: point at the nearest enclosing key that is there.</summary>
    Missing,
}
