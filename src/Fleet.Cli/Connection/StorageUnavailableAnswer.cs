using Fleet.Protocol;
using Grpc.Core;

namespace Fleet.Cli.Connection;

/// <summary>
/// The hub answered, and said its storage is down or full (<see cref="StorageUnavailable"/>). Down is also status Unavailable, but
/// unlike a hub that cannot be reached: the hub is there and its own words say what is wrong, so they are printed as
/// they are (<c>error: storage unavailable: ...</c>).
/// </summary>
internal static class StorageUnavailableAnswer
{
    public static bool Is(RpcException e) =>
        // A status the client made up (no connection) carries the exception that caused it; the hub's answer does not.
        e.Status.DebugException is null
        && ((e.StatusCode == StatusCode.Unavailable && e.Status.Detail.StartsWith(StorageUnavailable.Prefix, StringComparison.Ordinal))
            || (e.StatusCode == StatusCode.ResourceExhausted && e.Status.Detail.StartsWith(StorageUnavailable.FullPrefix, StringComparison.Ordinal)));
}
