using System.Collections.Frozen;

namespace Fleet.Hub.Admin;

/// <summary>
/// Maps a domain enum to its wire enum by member name, not by number: the wire enums start at UNSPECIFIED = 0 and
/// must not shift when a domain enum is reordered. Built once per pair; AdminMapperTests maps every domain value,
/// so a domain value without a wire namesake fails there rather than on a user's call.
/// </summary>
internal static class EnumByName<TDomain, TWire>
    where TDomain : struct, Enum
    where TWire : struct, Enum
{
    private static readonly FrozenDictionary<TDomain, TWire> Table = Enum.GetValues<TDomain>()
        .Where(v => Enum.IsDefined(typeof(TWire), v.ToString()))
        .ToFrozenDictionary(v => v, v => Enum.Parse<TWire>(v.ToString()));

    public static TWire Map(TDomain value) =>
        Table.TryGetValue(value, out var wire)
            ? wire
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TDomain).Name}.{value} has no {typeof(TWire).Name} namesake on the wire");
}
