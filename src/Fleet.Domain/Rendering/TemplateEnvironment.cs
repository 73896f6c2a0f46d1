using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Rendering;

/// <summary>
/// What the <c>${...}</c> templates of a capability see (SPEC §3), as CEL declarations: <c>target</c> and
/// <c>capability</c> with their fields and types, so <c>${target.nmae}</c> or <c>${target.name + 1}</c> is
/// refused by <c>fleet apply</c> before anything is stored. Other roots are left undeclared on purpose: the
/// YAML reader decides per field which variables are allowed there and names the unknown ones itself.
/// </summary>
public static class TemplateEnvironment
{
    /// <summary><c>target</c> as <see cref="CompiledCapability"/> builds it for each target.</summary>
    public static CelType Target { get; } = CelType.Object("target", new Dictionary<string, CelType>
    {
        ["name"] = CelType.String,
        ["labels"] = CelType.Map(CelType.String, CelType.String),
        ["facts"] = CelType.Map(CelType.String, CelType.String),
        ["driver"] = CelType.String,
    });

    /// <summary><c>capability</c>: the revision being rendered.</summary>
    public static CelType Capability { get; } = CelType.Object("capability", new Dictionary<string, CelType>
    {
        ["name"] = CelType.String,
        ["version"] = CelType.String,
        ["revision"] = CelType.Int,
    });

    public static CelEnvironment Environment { get; } = CelEnvironment.Empty
        .WithVariable("target", Target)
        .WithVariable("capability", Capability)
        .WithUndeclaredVariables(true);

    /// <summary>The engine for capability documents; stateless, so one instance serves every compilation.</summary>
    public static IExpressionEngine Engine { get; } = new CelEngine(Environment);
}
