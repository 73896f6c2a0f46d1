namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>Where a kind lives in the API: its group/version path and plural, and whether objects are namespaced.</summary>
internal sealed record ApiResource(string GroupVersionPath, string Plural, bool Namespaced)
{
    /// <summary>The collection path, e.g. <c>/apis/apps/v1/namespaces/shop/deployments</c>.</summary>
    public string Collection(string? ns) =>
        Namespaced ? $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns ?? "default")}/{Plural}" : $"{GroupVersionPath}/{Plural}";

    public string Object(string? ns, string name) => $"{Collection(ns)}/{Uri.EscapeDataString(name)}";
}
