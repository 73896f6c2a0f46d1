using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Inputs;

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

    /// <summary><c>instance</c>: the Instance a capability with inputs is rendered for.</summary>
    public static CelType Instance { get; } = CelType.Object("instance", new Dictionary<string, CelType>
    {
        ["name"] = CelType.String,
    });

    public static CelEnvironment Environment { get; } = CelEnvironment.Empty
        .WithVariable("target", Target)
        .WithVariable("capability", Capability)
        .WithUndeclaredVariables(true);

    /// <summary>The engine for capability documents; stateless, so one instance serves every compilation.</summary>
    public static IExpressionEngine Engine { get; } = new CelEngine(Environment);

    /// <summary>
    /// <c>inputs</c> as the checker sees it: an object with exactly the declared inputs, each of its declared type
    /// (<c>integer</c> is CEL's <c>int</c>, <c>number</c> its <c>double</c>), so <c>${inputs.nope}</c> and
    /// <c>${inputs.replicas + "x"}</c> are refused by <c>fleet apply</c>.
    /// </summary>
    public static CelType Inputs(InputSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return ObjectType("inputs", schema);
    }

    /// <summary>
    /// The engine for the templates of a capability: <paramref name="engine"/> itself when the capability takes no inputs
    /// (<c>inputs</c> and <c>instance</c> then stay unknown), else one that also declares <c>inputs</c> and <c>instance</c>
    /// with their types. Only a <see cref="CelEngine"/> can be told about them; another engine is used as it is.
    /// </summary>
    public static IExpressionEngine ForCapability(IExpressionEngine engine, InputSchema? inputs)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return inputs is null || engine is not CelEngine cel
            ? engine
            : new CelEngine(cel.Environment.WithVariable("inputs", Inputs(inputs)).WithVariable("instance", Instance));
    }

    private static CelType ObjectType(string name, InputSchema schema) =>
        CelType.Object(name, schema.Fields.ToDictionary(f => f.Name, f => TypeOf($"{name}.{f.Name}", f.Type), StringComparer.Ordinal));

    private static CelType TypeOf(string name, InputType type) => type.Kind switch
    {
        InputTypeKind.String => CelType.String,
        InputTypeKind.Integer => CelType.Int,
        InputTypeKind.Number => CelType.Double,
        InputTypeKind.Boolean => CelType.Bool,
        InputTypeKind.List => CelType.List(TypeOf(name, type.Element!)),
        InputTypeKind.Map => CelType.Map(CelType.String, TypeOf(name, type.Element!)),
        _ => ObjectType(name, type.Fields!),
    };
}
