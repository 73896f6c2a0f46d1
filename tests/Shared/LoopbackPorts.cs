using System.Net;
using System.Net.Sockets;

namespace Fleet.Tests.Shared;

/// <summary>
/// Loopback ports for hubs and silos that tests start. Ports come from below the kernel's ephemeral
/// range on purpose: a port the OS handed out for <c>bind(0)</c> and that the test released again can be
/// taken, before the hub binds it, as the source port of any outgoing connection the test run makes
/// (agents, channels, other test processes), and the hub then fails to start. Ports below that range
/// are never chosen for outgoing connections. Each candidate is probed by binding it, and a port is
/// handed out at most once per process; the start is random per process so that test processes running
/// side by side rarely probe the same ports.
/// </summary>
internal static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private const int FallbackEphemeralStart = 32_768;
    private static readonly object Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int RangeEnd = EphemeralRangeStart();
    private static int _next = Lowest + Random.Shared.Next(RangeEnd - Lowest);

    /// <summary><paramref name="count"/> distinct ports that were free a moment ago.</summary>
    public static int[] Take(int count) => [.. Enumerable.Range(0, count).Select(_ => Take())];

    public static int Take()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < RangeEnd - Lowest; attempt++)
            {
                var port = _next;
                _next = _next + 1 >= RangeEnd ? Lowest : _next + 1;
                if (HandedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {RangeEnd}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of <c>net.ipv4.ip_local_port_range</c>, where the kernel picks source ports.</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var start) && start > Lowest + 1000 ? start : FallbackEphemeralStart;
        }
        catch (IOException)
        {
            return FallbackEphemeralStart;
        }
        catch (UnauthorizedAccessException)
        {
            return FallbackEphemeralStart;
        }
    }
}
