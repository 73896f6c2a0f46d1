using Fleet.Domain.Expressions;

namespace Fleet.Domain.Rendering;

/// <summary>
/// A manifest with every string compiled as a template, mirroring the object's shape, so rendering it for a target
/// only evaluates. A string that is exactly one <c>${...}</c> renders to the expression's typed value.
/// </summary>
internal sealed class CompiledValue
{
    private readonly object? _literal;
    private readonly CompiledTemplate? _template;
    private readonly IReadOnlyList<CompiledValue>? _list;
    private readonly IReadOnlyList<KeyValuePair<string, CompiledValue>>? _map;

    public CompiledValue(object? value, IExpressionEngine engine)
    {
        switch (value)
        {
            case string text when text.Contains('$', StringComparison.Ordinal):
                _template = new CompiledTemplate(text, engine);
                break;
            case IReadOnlyDictionary<string, object?> map:
                _map = [.. map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, new CompiledValue(kv.Value, engine)))];
                break;
            case IReadOnlyList<object?> list:
                _list = [.. list.Select(item => new CompiledValue(item, engine))];
                break;
            default:
                _literal = value;
                break;
        }
    }

    /// <summary>Adds the other resources any string of the value reads (<c>resources.&lt;id&gt;</c>) to <paramref name="ids"/>.</summary>
    public void CollectReferences(ISet<string> ids)
    {
        if (_template is not null)
        {
            ids.UnionWith(_template.ResourceReferences);
        }

        foreach (var item in _list ?? [])
        {
            item.CollectReferences(ids);
        }

        foreach (var (_, value) in _map ?? [])
        {
            value.CollectReferences(ids);
        }
    }

    /// <summary>The value for one target; the path of the failing string is in the exception message.</summary>
    /// <exception cref="ExpressionException">An expression failed.</exception>
    public object? Render(IReadOnlyDictionary<string, object?> variables, string path, EvaluationBudget budget)
    {
        if (_template is not null)
        {
            try
            {
                return _template.Render(variables, budget);
            }
            catch (ExpressionException e)
            {
                throw new ExpressionException($"{path}: {e.Message}", e.Offset);
            }
        }

        if (_map is not null)
        {
            var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in _map)
            {
                map[key] = value.Render(variables, $"{path}.{key}", budget);
            }

            return map;
        }

        if (_list is not null)
        {
            var list = new List<object?>(_list.Count);
            for (var i = 0; i < _list.Count; i++)
            {
                list.Add(_list[i].Render(variables, $"{path}[{i}]", budget));
            }

            return list;
        }

        return _literal;
    }
}
