using System.Collections.Frozen;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Checks a syntax tree against a <see cref="CelEnvironment"/> and plans it into steps in one walk. The
/// checker is gradual: it knows the declared variables' types, the types of literals and the signatures
/// of the standard functions, gives <c>dyn</c> to everything else, and reports only what must fail
/// whatever the values (an undeclared name, <c>1 + "a"</c>, <c>!5</c>, a field an object type lacks).
/// With checking off it reports nothing and every such case becomes an evaluation error instead.
/// </summary>
internal sealed partial class CelCompiler
{
    /// <summary>The identifiers that denote types (<c>type(x) == int</c>); variables and comprehension names shadow them.</summary>
    private static readonly FrozenDictionary<string, CelType> TypeNames = new Dictionary<string, CelType>(StringComparer.Ordinal)
    {
        ["int"] = CelType.Int,
        ["uint"] = CelType.Uint,
        ["double"] = CelType.Double,
        ["bool"] = CelType.Bool,
        ["string"] = CelType.String,
        ["bytes"] = CelType.Bytes,
        ["list"] = CelType.ListOfDyn,
        ["map"] = CelType.MapOfDyn,
        ["null_type"] = CelType.Null,
        ["type"] = CelType.Type,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly CelEnvironment _environment;
    private readonly List<(string Name, CelType Type)> _locals = [];
    private readonly HashSet<string> _roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wholeReads = new(StringComparer.Ordinal);
    private int _slots;

    private CelCompiler(CelEnvironment environment) => _environment = environment;

    private bool IsChecked => _environment.IsChecked;

    /// <exception cref="CelCompileException">The expression must fail whatever the values.</exception>
    public static CelProgram Compile(string text, Expr syntax, CelEnvironment environment)
    {
        var compiler = new CelCompiler(environment);
        var root = compiler.Visit(syntax);
        var fields = compiler._fields.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value, StringComparer.Ordinal);
        return new CelProgram(text, root.Step, root.Type, compiler._roots, fields, compiler._wholeReads, compiler._slots, environment.Limits);
    }

    private Planned Visit(Expr expr) => expr switch
    {
        ConstantExpr constant => new(new ConstantStep(constant.Offset, constant.Value), CelValues.TypeOf(constant.Value)),
        IdentExpr ident => VisitIdent(ident, selectedField: null),
        SelectExpr select => VisitSelect(select, qualify: true),
        IndexExpr index => VisitIndex(index),
        CallExpr call => VisitCall(call),
        ListExpr list => VisitList(list),
        MapExpr map => VisitMap(map),
        ComprehensionExpr comprehension => VisitComprehension(comprehension),
        _ => throw new InvalidOperationException($"unknown syntax node {expr.GetType().Name}"),
    };

    /// <param name="selectedField">The field read right away (<c>x.f</c>, <c>x['f']</c>), recorded for <see cref="CelProgram.FieldsOf"/>.</param>
    private Planned VisitIdent(IdentExpr ident, string? selectedField)
    {
        if (!ident.IsAbsolute && FindLocal(ident.Name) is { } slot)
        {
            return new(new LocalStep(ident.Offset, slot), _locals[slot].Type);
        }

        if (_environment.Variables.TryGetValue(ident.Name, out var declared))
        {
            return Global(ident.Offset, ident.Name, declared, selectedField);
        }

        if (TypeNames.TryGetValue(ident.Name, out var type))
        {
            return new(new ConstantStep(ident.Offset, type), CelType.Type);
        }

        if (!IsChecked || _environment.AllowUndeclaredVariables)
        {
            return Global(ident.Offset, ident.Name, CelType.Dyn, selectedField);
        }

        throw new CelCompileException($"undeclared reference to '{ident.Name}'", ident.Offset);
    }

    private Planned Global(int offset, string name, CelType type, string? selectedField)
    {
        _roots.Add(name);
        if (selectedField is null)
        {
            _wholeReads.Add(name);
        }
        else
        {
            if (!_fields.TryGetValue(name, out var fields))
            {
                _fields[name] = fields = new HashSet<string>(StringComparer.Ordinal);
            }

            fields.Add(selectedField);
        }

        return new(new GlobalStep(offset, name), type);
    }

    /// <summary>The slot of the innermost comprehension variable called <paramref name="name"/>.</summary>
    private int? FindLocal(string name)
    {
        for (var i = _locals.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_locals[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    private Planned VisitSelect(SelectExpr select, bool qualify)
    {
        if (qualify && !select.IsTest && Qualified(select) is { } qualified)
        {
            return qualified;
        }

        var operand = select.Operand switch
        {
            IdentExpr ident => VisitIdent(ident, select.Field),
            // The whole chain was offered to Qualified already; its links need not be again.
            SelectExpr inner when !qualify => VisitSelect(inner, qualify: false),
            _ => Visit(select.Operand),
        };
        var type = SelectType(operand.Type, select.Field, select.Offset);
        return select.IsTest
            ? new(new HasStep(select.Offset, operand.Step, select.Field), CelType.Bool)
            : new(new SelectStep(select.Offset, operand.Step, select.Field), type);
    }

    /// <summary>
    /// CEL resolves <c>a.b.c</c> to the longest declared name (variable <c>a.b.c</c>, else field <c>c</c>
    /// of <c>a.b</c>, ...). Declared names decide now; for an undeclared root the decision waits for the
    /// variables of the evaluation. Null when the ordinary reading (root variable, then fields) applies.
    /// </summary>
    private Planned? Qualified(SelectExpr select)
    {
        var chain = new List<SelectExpr>();
        Expr current = select;
        while (current is SelectExpr { IsTest: false } link)
        {
            chain.Insert(0, link);
            current = link.Operand;
        }

        if (current is not IdentExpr root || (!root.IsAbsolute && FindLocal(root.Name) is not null))
        {
            return null;
        }

        var names = new List<string> { root.Name };
        names.AddRange(chain.Select(link => link.Field));
        for (var n = names.Count; n >= 2; n--)
        {
            var name = string.Join('.', names.Take(n));
            if (_environment.Variables.TryGetValue(name, out var declared))
            {
                var planned = Global(root.Offset, name, declared, n < names.Count ? names[n] : null);
                for (var k = n; k < names.Count; k++)
                {
                    var link = chain[k - 1];
                    planned = new(new SelectStep(link.Offset, planned.Step, link.Field), SelectType(planned.Type, link.Field, link.Offset));
                }

                return planned;
            }
        }

        var undeclared = !_environment.Variables.ContainsKey(root.Name) && !TypeNames.ContainsKey(root.Name);
        if (!undeclared || (IsChecked && !_environment.AllowUndeclaredVariables))
        {
            return null;
        }

        var candidates = new List<(string, string[])>();
        for (var n = names.Count; n >= 2; n--)
        {
            candidates.Add((string.Join('.', names.Take(n)), names.Skip(n).ToArray()));
        }

        var ordinary = VisitSelect(select, qualify: false);
        return new(new QualifiedStep(select.Offset, candidates, ordinary.Step), ordinary.Type);
    }

    private CelType SelectType(CelType operand, string field, int offset)
    {
        switch (operand.Kind)
        {
            case CelTypeKind.Map when operand.Fields is { } fields:
                if (fields.TryGetValue(field, out var fieldType))
                {
                    return fieldType;
                }

                return IsChecked
                    ? throw new CelCompileException($"undefined field '{field}' (fields of {operand}: {string.Join(", ", fields.Keys.Order(StringComparer.Ordinal))})", offset)
                    : CelType.Dyn;
            case CelTypeKind.Map when operand.KeyType!.Kind is CelTypeKind.String or CelTypeKind.Dyn or CelTypeKind.TypeParameter:
                return operand.ValueType!;
            case CelTypeKind.Dyn or CelTypeKind.TypeParameter:
                return CelType.Dyn;
            default:
                return IsChecked
                    ? throw new CelCompileException($"type '{operand}' does not support field selection", offset)
                    : CelType.Dyn;
        }
    }

    private Planned VisitIndex(IndexExpr index)
    {
        var constantKey = index.Index is ConstantExpr { Value: string key } ? key : null;
        var operand = index.Operand is IdentExpr ident ? VisitIdent(ident, constantKey) : Visit(index.Operand);
        var position = Visit(index.Index);
        return new(new IndexStep(index.Offset, operand.Step, position.Step), IndexType(operand.Type, position.Type, constantKey, index.Offset));
    }

    private CelType IndexType(CelType operand, CelType index, string? constantKey, int offset)
    {
        var indexIsOpen = index.Kind is CelTypeKind.Dyn or CelTypeKind.TypeParameter;
        switch (operand.Kind)
        {
            case CelTypeKind.Dyn or CelTypeKind.TypeParameter:
                return CelType.Dyn;
            case CelTypeKind.List when indexIsOpen || index.Kind is CelTypeKind.Int or CelTypeKind.Uint:
                return operand.ElementType!;
            case CelTypeKind.Map when operand.Fields is { } fields && constantKey is not null:
                return SelectType(operand, constantKey, offset);
            case CelTypeKind.Map when operand.Fields is not null && (indexIsOpen || index.Kind == CelTypeKind.String):
                return CelType.Dyn;
            case CelTypeKind.Map when operand.Fields is null && (indexIsOpen || KeyFits(operand.KeyType!, index)):
                return operand.ValueType!;
        }

        return IsChecked
            ? throw new CelCompileException($"no matching overload for '[]' applied to ({operand}, {index})", offset)
            : CelType.Dyn;
    }

    private static bool KeyFits(CelType key, CelType index) =>
        key.Kind is CelTypeKind.Dyn or CelTypeKind.TypeParameter
        || key.Kind == index.Kind
        || (IsNumeric(key) && IsNumeric(index));

    private static bool IsNumeric(CelType type) => type.Kind is CelTypeKind.Int or CelTypeKind.Uint or CelTypeKind.Double;

    private Planned VisitList(ListExpr list)
    {
        var elements = list.Elements.Select(Visit).ToList();
        var type = CelType.List(Join(elements.Select(e => e.Type)));
        return new(new ListStep(list.Offset, [.. elements.Select(e => e.Step)]), type);
    }

    private Planned VisitMap(MapExpr map)
    {
        var entries = new List<(int, Step, Step)>();
        var keyTypes = new List<CelType>();
        var valueTypes = new List<CelType>();
        foreach (var entry in map.Entries)
        {
            var key = Visit(entry.Key);
            if (IsChecked && key.Type.Kind is CelTypeKind.Double or CelTypeKind.Null or CelTypeKind.Bytes or CelTypeKind.List or CelTypeKind.Map or CelTypeKind.Type)
            {
                throw new CelCompileException($"a map key cannot be of type {key.Type} (only string, int, uint and bool)", entry.Offset);
            }

            var value = Visit(entry.Value);
            entries.Add((entry.Offset, key.Step, value.Step));
            keyTypes.Add(key.Type);
            valueTypes.Add(value.Type);
        }

        return new(new MapStep(map.Offset, entries), CelType.Map(Join(keyTypes), Join(valueTypes)));
    }

    private Planned VisitComprehension(ComprehensionExpr comprehension)
    {
        var name = comprehension.Kind switch
        {
            MacroKind.All => "all",
            MacroKind.Exists => "exists",
            MacroKind.ExistsOne => "exists_one",
            MacroKind.Map => "map",
            _ => "filter",
        };
        var range = Visit(comprehension.Range);
        var element = range.Type.Kind switch
        {
            CelTypeKind.List => range.Type.ElementType!,
            CelTypeKind.Map => range.Type.KeyType!,
            CelTypeKind.Dyn or CelTypeKind.TypeParameter => CelType.Dyn,
            _ => IsChecked
                ? throw new CelCompileException($"{name}() cannot iterate over a value of type {range.Type} (only lists and maps)", comprehension.Offset)
                : CelType.Dyn,
        };

        var slot = _locals.Count;
        _slots = Math.Max(_slots, slot + 1);
        _locals.Add((comprehension.Variable, element));
        var predicate = comprehension.Predicate is null ? (Planned?)null : Visit(comprehension.Predicate);
        if (predicate is { } p)
        {
            RequireBool(p.Type, comprehension.Predicate!.Offset, $"the condition of {name}()");
        }

        var transform = comprehension.Transform is null ? (Planned?)null : Visit(comprehension.Transform);
        _locals.RemoveAt(_locals.Count - 1);

        var type = comprehension.Kind switch
        {
            MacroKind.Map => CelType.List(transform!.Value.Type),
            MacroKind.Filter => CelType.List(element),
            _ => CelType.Bool,
        };
        return new(new ComprehensionStep(comprehension.Offset, comprehension.Kind, range.Step, slot, predicate?.Step, transform?.Step), type);
    }

    private void RequireBool(CelType type, int offset, string what)
    {
        if (IsChecked && type.Kind is not (CelTypeKind.Bool or CelTypeKind.Dyn or CelTypeKind.TypeParameter))
        {
            throw new CelCompileException($"{what} must be a bool, not {type}", offset);
        }
    }

    /// <summary>The common type of several: the type itself when they all agree, otherwise <c>dyn</c>.</summary>
    private static CelType Join(IEnumerable<CelType> types)
    {
        CelType? common = null;
        foreach (var type in types)
        {
            if (common is null)
            {
                common = type;
            }
            else if (!Identical(common, type))
            {
                return CelType.Dyn;
            }
        }

        return common ?? CelType.Dyn;
    }

    /// <summary>Structural identity of static types (<see cref="CelType.Equals(CelType)"/> compares run-time names only).</summary>
    private static bool Identical(CelType a, CelType b) =>
        a.Kind == b.Kind
        && string.Equals(a.ToString(), b.ToString(), StringComparison.Ordinal);
}
