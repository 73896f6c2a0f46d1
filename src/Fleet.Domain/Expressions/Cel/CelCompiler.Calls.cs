namespace Fleet.Domain.Expressions.Cel;

/// <summary>Calls and operators: the logical ones are special forms, every other one resolves against the standard library.</summary>
internal sealed partial class CelCompiler
{
    private Planned VisitCall(CallExpr call)
    {
        switch (call.Function)
        {
            case CelOperators.LogicalAnd or CelOperators.LogicalOr when call.Target is null && call.Args.Count == 2:
                var left = Visit(call.Args[0]);
                var right = Visit(call.Args[1]);
                var op = CelOperators.Display(call.Function);
                RequireBool(left.Type, call.Offset, $"the left operand of '{op}'");
                RequireBool(right.Type, call.Offset, $"the right operand of '{op}'");
                return new(new LogicalStep(call.Offset, call.Function == CelOperators.LogicalAnd, left.Step, right.Step), CelType.Bool);
            case CelOperators.Conditional when call.Target is null && call.Args.Count == 3:
                var condition = Visit(call.Args[0]);
                RequireBool(condition.Type, call.Offset, "the condition of '?:'");
                var whenTrue = Visit(call.Args[1]);
                var whenFalse = Visit(call.Args[2]);
                return new(new ConditionalStep(call.Offset, condition.Step, whenTrue.Step, whenFalse.Step), Join([whenTrue.Type, whenFalse.Type]));
            default:
                return VisitFunction(call);
        }
    }

    private Planned VisitFunction(CallExpr call)
    {
        var args = new List<Planned>(call.Args.Count + 1);
        if (call.Target is not null)
        {
            args.Add(Visit(call.Target));
        }

        args.AddRange(call.Args.Select(Visit));
        var steps = args.Select(a => a.Step).ToList();
        var isReceiver = call.Target is not null;
        var all = CelStandardLibrary.Lookup(call.Function);
        var overloads = all.Where(o => o.IsReceiver == isReceiver).ToList();
        if (overloads.Count == 0)
        {
            if (!IsChecked)
            {
                return new(new CallStep(call.Offset, call.Function, [], steps), CelType.Dyn);
            }

            throw new CelCompileException(
                all.Count == 0 ? $"unknown function '{call.Function}'"
                : isReceiver ? $"'{call.Function}' is a function, not a method: write {call.Function}(x, ...)"
                : $"'{call.Function}' is a method, not a function: write x.{call.Function}(...)",
                call.Offset);
        }

        var types = args.Select(a => a.Type).ToList();
        var results = new List<CelType>();
        foreach (var overload in overloads)
        {
            if (TryApply(overload, types) is { } result)
            {
                results.Add(result);
            }
        }

        if (results.Count == 0 && IsChecked)
        {
            throw new CelCompileException($"no matching overload for '{CelOperators.Display(call.Function)}' applied to ({string.Join(", ", types)})", call.Offset);
        }

        var type = results.Count == 0 ? CelType.Dyn : Join(results);
        if (call.Function == "matches" && steps.Count == 2 && steps[1] is ConstantStep { Value: string pattern })
        {
            var regex = CelRegex.Compile(pattern, _environment.Limits, out var error);
            if (regex is not null)
            {
                return new(new MatchStep(call.Offset, steps[0], regex), type);
            }

            if (IsChecked)
            {
                throw new CelCompileException(error!, call.Args[^1].Offset);
            }
        }

        return new(new CallStep(call.Offset, call.Function, overloads, steps), type);
    }

    /// <summary>The result type of <paramref name="overload"/> for these argument types, or null when it cannot apply.</summary>
    private static CelType? TryApply(CelOverload overload, IReadOnlyList<CelType> args)
    {
        if (overload.Parameters.Count != args.Count)
        {
            return null;
        }

        var bindings = new Dictionary<string, CelType>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!Unify(overload.Parameters[i], args[i], bindings))
            {
                return null;
            }
        }

        return Substitute(overload.Result, bindings);
    }

    /// <summary>
    /// Whether an argument of type <paramref name="argument"/> fits <paramref name="parameter"/>, binding
    /// type parameters on the way. Lenient on purpose: <c>dyn</c> fits anything, and a type parameter bound
    /// to two different types becomes <c>dyn</c> rather than an error, because values of mixed types are
    /// legal at run time (<c>[1] + ['a']</c>); only mismatches no value could ever satisfy are refused.
    /// </summary>
    private static bool Unify(CelType parameter, CelType argument, Dictionary<string, CelType> bindings)
    {
        if (parameter.Kind == CelTypeKind.TypeParameter)
        {
            bindings[parameter.Name] = bindings.TryGetValue(parameter.Name, out var bound) && !Identical(bound, argument) ? CelType.Dyn : argument;
            return true;
        }

        if (parameter.Kind == CelTypeKind.Dyn || argument.Kind is CelTypeKind.Dyn or CelTypeKind.TypeParameter)
        {
            return true;
        }

        return parameter.Kind switch
        {
            CelTypeKind.List => argument.Kind == CelTypeKind.List && Unify(parameter.ElementType!, argument.ElementType!, bindings),
            CelTypeKind.Map => argument.Kind == CelTypeKind.Map
                && Unify(parameter.KeyType!, argument.KeyType!, bindings)
                && Unify(parameter.ValueType!, argument.ValueType!, bindings),
            _ => parameter.Kind == argument.Kind,
        };
    }

    private static CelType Substitute(CelType type, Dictionary<string, CelType> bindings) => type.Kind switch
    {
        CelTypeKind.TypeParameter => bindings.GetValueOrDefault(type.Name, CelType.Dyn),
        CelTypeKind.List => CelType.List(Substitute(type.ElementType!, bindings)),
        CelTypeKind.Map when type.Fields is null => CelType.Map(Substitute(type.KeyType!, bindings), Substitute(type.ValueType!, bindings)),
        _ => type,
    };
}
