using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Fleet.Hub.Hosting;

namespace Fleet.Hub.Clustering;

/// <summary>The address other nodes reach this node's silo on (SPEC §1 --advertise).</summary>
internal static class AdvertisedAddress
{
    public static IPAddress Resolve(HubOptions options)
    {
        if (options.Advertise is { } given)
        {
            if (IPAddress.TryParse(given, out var address))
            {
                return address;
            }

            try
            {
                return Dns.GetHostAddresses(given).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException)
            {
                throw new HubStartupException($"--advertise {given}: the name does not resolve to an address ({e.Message})");
            }
        }

        // A hub that serves only loopback is a local cluster (tests, a laptop): its peers are local too.
        return ListensOnLoopbackOnly(options) ? IPAddress.Loopback : FirstNonLoopback()
            ?? throw new HubStartupException("this machine has no non-loopback IPv4 address to advertise to other hub nodes; give --advertise HOST");
    }

    private static bool ListensOnLoopbackOnly(HubOptions options) =>
        options.EffectiveUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => new Uri(url).Host)
            .All(host => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                         || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    private static IPAddress? FirstNonLoopback() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
