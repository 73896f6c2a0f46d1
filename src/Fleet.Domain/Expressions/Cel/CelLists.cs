using System.Collections;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>Reads any list shape a caller may hand in; elements come out in the value model (<see cref="CelValues.Normalize"/>).</summary>
internal static class CelLists
{
    public static int Count(object list) => list switch
    {
        IReadOnlyList<object?> l => l.Count,
        IList n => n.Count,
        _ => 0,
    };

    public static object? Get(object list, int index) => CelValues.Normalize(list switch
    {
        IReadOnlyList<object?> l => l[index],
        IList n => n[index],
        _ => null,
    });
}
