using System.Net;
using System.Net.Sockets;

namespace Fleet.Hub.Tests.Storage;

internal static class FreePorts
{
    /// <summary>Ports the OS just handed out for loopback, so parallel tests and other hubs do not collide.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            // All bound at once, so that the OS cannot hand out the same port twice.
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
