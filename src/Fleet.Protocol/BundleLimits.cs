namespace Fleet.Protocol;

/// <summary>
/// How large a bundle file (SPEC §9) may be, for everyone who reads one: the agent's <c>--import</c>, the CLI's
/// <c>bundle import</c> and the hub. A desired set is at most <see cref="AgentStreamLimits.MaxDesiredSetBytes"/>, so a
/// desired bundle is far below this; a report carries at most a bounded report per capability. The bound is there so
/// that a wrong or hostile file (a disk image picked by mistake) is refused before it is read into memory.
/// </summary>
public static class BundleLimits
{
    /// <summary>The largest bundle file read: 64 MiB.</summary>
    public const int MaxBundleBytes = 64 * 1024 * 1024;
}
