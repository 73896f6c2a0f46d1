namespace Fleet.Hub.Dashboard;

/// <summary>The stylesheet and the script, embedded in the hub's assembly at build time: no internet, no files beside it.</summary>
internal static class DashboardAssets
{
    internal sealed record Asset(byte[] Content, string ContentType);

    private static readonly Dictionary<string, Asset> All = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
    };

    public static Asset? Find(string name) => All.GetValueOrDefault(name);

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"Fleet.Hub.Dashboard.Assets.{name}")
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in the hub");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new Asset(copy.ToArray(), contentType);
    }
}
