using System.Globalization;

namespace Fleet.Hub.Storage;

/// <summary>
/// The ETag of a grain state or reminder row in every backend: the row's version, an integer
/// incremented by every write, as invariant decimal text.
/// </summary>
internal static class StorageEtag
{
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>False for anything this hub did not hand out (which can then match no row).</summary>
    public static bool TryParse(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
