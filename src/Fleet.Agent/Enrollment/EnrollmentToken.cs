namespace Fleet.Agent.Enrollment;

/// <summary>
/// The --token value, wrapped so that printing the agent's options (a record prints every property)
/// can never print the secret.
/// </summary>
public sealed class EnrollmentToken(string value)
{
    public string Value { get; } = value;

    public override string ToString() => "(redacted)";
}
