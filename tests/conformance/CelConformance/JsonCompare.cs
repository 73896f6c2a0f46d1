using System.Globalization;
using System.Text.Json;

namespace CelConformance;

/// <summary>Equality of two JSON values as values: numbers by value, objects regardless of key order.</summary>
internal static class JsonCompare
{
    public static bool Equal(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                if (decimal.TryParse(a.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
                    && decimal.TryParse(b.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
                {
                    return da == db;
                }

                return a.GetDouble().Equals(b.GetDouble());
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equal(p.First, p.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var other) && Equal(kv.Value, other));
            default:
                return true;
        }
    }
}
