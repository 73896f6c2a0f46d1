namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A map literal. Keys must be string, int, uint or bool, and distinct under CEL equality (<c>1</c> and
/// <c>1u</c> are the same key). A map with string keys only is a <c>Dictionary&lt;string, object?&gt;</c>,
/// the shape the rest of Fleet reads; any other key makes it object-keyed.
/// </summary>
internal sealed class MapStep(int offset, IReadOnlyList<(int Offset, Step Key, Step Value)> entries) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        Dictionary<string, object?>? byString = new(StringComparer.Ordinal);
        Dictionary<object, object?>? byKey = null;
        foreach (var (keyOffset, keyStep, valueStep) in entries)
        {
            var key = keyStep.Evaluate(frame);
            if (key is CelError)
            {
                return key;
            }

            if (key is not (string or long or ulong or bool))
            {
                return new CelError($"a map key cannot be of type {CelValues.TypeName(key)}", keyOffset);
            }

            var value = valueStep.Evaluate(frame);
            if (value is CelError)
            {
                return value;
            }

            if (byKey is null && key is not string)
            {
                byKey = new Dictionary<object, object?>(CelMapKeyComparer.Instance);
                foreach (var (k, v) in byString!)
                {
                    byKey.Add(k, v);
                }

                byString = null;
            }

            var added = byKey is null ? byString!.TryAdd((string)key, value) : byKey.TryAdd(key, value);
            if (!added)
            {
                return new CelError($"repeated map key: {CelFormat.ToText(key)}", keyOffset);
            }
        }

        return byKey is null ? byString : byKey;
    }
}
