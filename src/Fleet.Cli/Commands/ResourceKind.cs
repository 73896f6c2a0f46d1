using Fleet.Cli.Connection;

namespace Fleet.Cli.Commands;

internal enum ResourceKind
{
    Target,
    Capability,
    Instance,
    Rollout,
}

/// <summary>kubectl-style kind names: singular, plural and short forms.</summary>
internal static class ResourceKinds
{
    public static ResourceKind Parse(string text) => text.ToLowerInvariant() switch
    {
        "target" or "targets" or "tgt" => ResourceKind.Target,
        "capability" or "capabilities" or "cap" or "caps" => ResourceKind.Capability,
        "instance" or "instances" or "inst" => ResourceKind.Instance,
        "rollout" or "rollouts" or "ro" => ResourceKind.Rollout,
        _ => throw new UsageException($"unknown kind '{text}' (targets, capabilities, instances, rollouts)"),
    };
}
