namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A CEL type, used twice: by the checker as a static type (<c>list(int)</c>, <c>map(string, dyn)</c>,
/// an object with known fields) and at run time as the value of <c>type(x)</c> and of the identifiers
/// <c>int</c>, <c>string</c>, ... Run-time types are erased (<c>list</c>, <c>map</c>), so equality
/// compares <see cref="Name"/>, which is exactly CEL's <c>type(x) == type(y)</c>.
/// </summary>
public sealed class CelType : IEquatable<CelType>
{
    private readonly string _display;

    private CelType(CelTypeKind kind, string name, string? display = null, CelType? element = null, CelType? key = null, CelType? value = null, IReadOnlyDictionary<string, CelType>? fields = null)
    {
        Kind = kind;
        Name = name;
        _display = display ?? name;
        ElementType = element;
        KeyType = key;
        ValueType = value;
        Fields = fields;
    }

    public static CelType Dyn { get; } = new(CelTypeKind.Dyn, "dyn");

    public static CelType Null { get; } = new(CelTypeKind.Null, "null_type");

    public static CelType Bool { get; } = new(CelTypeKind.Bool, "bool");

    public static CelType Int { get; } = new(CelTypeKind.Int, "int");

    public static CelType Uint { get; } = new(CelTypeKind.Uint, "uint");

    public static CelType Double { get; } = new(CelTypeKind.Double, "double");

    public static CelType String { get; } = new(CelTypeKind.String, "string");

    public static CelType Bytes { get; } = new(CelTypeKind.Bytes, "bytes");

    public static CelType Type { get; } = new(CelTypeKind.Type, "type");

    /// <summary><c>list(dyn)</c>, also the run-time type of every list.</summary>
    public static CelType ListOfDyn { get; } = new(CelTypeKind.List, "list", "list(dyn)", element: Dyn);

    /// <summary><c>map(dyn, dyn)</c>, also the run-time type of every map.</summary>
    public static CelType MapOfDyn { get; } = new(CelTypeKind.Map, "map", "map(dyn, dyn)", key: Dyn, value: Dyn);

    public CelTypeKind Kind { get; }

    /// <summary>The run-time name: <c>int</c>, <c>list</c>, <c>map</c>, <c>null_type</c>, ...</summary>
    public string Name { get; }

    public CelType? ElementType { get; }

    public CelType? KeyType { get; }

    public CelType? ValueType { get; }

    /// <summary>For an object type: its known fields. Selecting any other field is a check error.</summary>
    public IReadOnlyDictionary<string, CelType>? Fields { get; }

    public static CelType List(CelType element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.Kind == CelTypeKind.Dyn ? ListOfDyn : new(CelTypeKind.List, "list", $"list({element})", element: element);
    }

    public static CelType Map(CelType key, CelType value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return key.Kind == CelTypeKind.Dyn && value.Kind == CelTypeKind.Dyn
            ? MapOfDyn
            : new(CelTypeKind.Map, "map", $"map({key}, {value})", key: key, value: value);
    }

    /// <summary>
    /// A map with string keys whose fields are known in advance (<c>target</c>: name, labels, ...). At run
    /// time it is an ordinary map; the checker uses the fields to reject a misspelt field before evaluation.
    /// </summary>
    public static CelType Object(string name, IReadOnlyDictionary<string, CelType> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        return new(CelTypeKind.Map, "map", name, key: String, value: Dyn, fields: new Dictionary<string, CelType>(fields, StringComparer.Ordinal));
    }

    internal static CelType Parameter(string name) => new(CelTypeKind.TypeParameter, name);

    /// <summary>The static type of a value as given to an evaluation, e.g. to declare the variables of <c>fleet eval --vars</c>.</summary>
    public static CelType Of(object? value) => CelValues.KindOf(value) switch
    {
        CelValueKind.Bool => Bool,
        CelValueKind.Int => Int,
        CelValueKind.Uint => Uint,
        CelValueKind.Double => Double,
        CelValueKind.String => String,
        CelValueKind.Bytes => Bytes,
        CelValueKind.Type => Type,
        CelValueKind.List => ListOfDyn,
        CelValueKind.Map => Map(Dyn, Dyn),
        // null may stand for an absent value of any type: keep the checker out of its way.
        _ => Dyn,
    };

    public bool Equals(CelType? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is CelType other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>The static spelling: <c>list(int)</c>, <c>map(string, dyn)</c>, or an object type's name.</summary>
    public override string ToString() => _display;
}
