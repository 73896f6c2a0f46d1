namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// One signature of a function: its parameters (the receiver first for <c>x.f(y)</c> style) and result as
/// static types for the checker, and the body the evaluator dispatches to by the run-time kinds of the arguments.
/// </summary>
internal sealed class CelOverload
{
    private readonly CelValueKind?[] _kinds;

    public CelOverload(bool isReceiver, CelType[] parameters, CelType result, CelFunction body)
    {
        IsReceiver = isReceiver;
        Parameters = parameters;
        Result = result;
        Body = body;
        _kinds = [.. parameters.Select(KindOf)];
    }

    public bool IsReceiver { get; }

    public IReadOnlyList<CelType> Parameters { get; }

    public CelType Result { get; }

    public CelFunction Body { get; }

    /// <summary>Whether the run-time kinds of <paramref name="args"/> fit (a dyn or type-parameter position takes anything).</summary>
    public bool Accepts(object?[] args)
    {
        if (args.Length != _kinds.Length)
        {
            return false;
        }

        for (var i = 0; i < args.Length; i++)
        {
            if (_kinds[i] is { } kind && CelValues.KindOf(args[i]) != kind)
            {
                return false;
            }
        }

        return true;
    }

    private static CelValueKind? KindOf(CelType type) => type.Kind switch
    {
        CelTypeKind.Null => CelValueKind.Null,
        CelTypeKind.Bool => CelValueKind.Bool,
        CelTypeKind.Int => CelValueKind.Int,
        CelTypeKind.Uint => CelValueKind.Uint,
        CelTypeKind.Double => CelValueKind.Double,
        CelTypeKind.String => CelValueKind.String,
        CelTypeKind.Bytes => CelValueKind.Bytes,
        CelTypeKind.List => CelValueKind.List,
        CelTypeKind.Map => CelValueKind.Map,
        CelTypeKind.Type => CelValueKind.Type,
        _ => null,
    };
}
