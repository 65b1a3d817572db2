using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace OrleansMl.Hosting.Options;

/// <summary>The address other silos reach this host at, for <c>OrleansMl:AdvertisedIPAddress=host</c> (a container replica, a pod, a VM).</summary>
public static class HostAddress
{
    /// <summary>The setting's value that asks for the host's own address.</summary>
    public const string Keyword = "host";

    /// <summary>
    /// The host name's first IPv4 address that is neither loopback nor link-local (a container's or pod's own address;
    /// Debian maps the name to 127.0.1.1, which is skipped), else the first such address of an up network interface; null when there is none.
    /// </summary>
    public static IPAddress? Resolve()
    {
        try
        {
            if (Array.Find(Dns.GetHostAddresses(Dns.GetHostName()), IsReachable) is { } named)
            {
                return named;
            }
        }
        catch (SocketException)
        {
            // The name does not resolve: look at the interfaces.
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(IsReachable);
    }

    /// <summary>IPv4, not loopback and not link-local (169.254/16: Container Apps' consumption hosts resolve their name to one, which other replicas cannot reach).</summary>
    private static bool IsReachable(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address) && address.GetAddressBytes() is not [169, 254, _, _];
}
