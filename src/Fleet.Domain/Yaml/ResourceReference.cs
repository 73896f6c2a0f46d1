namespace Fleet.Domain.Yaml;

/// <summary>
/// A <c>resources.&lt;id&gt;</c> read in one <c>${...}</c> of a resource's templates, with where it stands, so a bad
/// reference or a cycle is reported at the expression that makes it.
/// </summary>
internal sealed record ResourceReference(string Id, DocScalar Scalar, int Offset, string Field, string Expression);
