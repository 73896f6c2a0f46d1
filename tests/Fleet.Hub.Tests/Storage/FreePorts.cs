using Fleet.Tests.Shared;

namespace Fleet.Hub.Tests.Storage;

internal static class FreePorts
{
    /// <summary>Distinct loopback ports for a hub or silo; see <see cref="LoopbackPorts"/> for why not <c>bind(0)</c>.</summary>
    public static int[] Take(int count) => LoopbackPorts.Take(count);
}
