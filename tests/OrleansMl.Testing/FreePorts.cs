using System.Net;
using System.Net.Sockets;

namespace OrleansMl.Testing;

/// <summary>
/// Ports that were free a moment ago, chosen below the system's ephemeral range: a port the system hands out for
/// "any free port" is also what it gives the next outgoing connection (a test's HTTP client, an Azurite call), which
/// could take it in the moment between this check and a silo binding it ("address already in use").
/// </summary>
public static class FreePorts
{
    /// <summary>Where ports are chosen from: under Linux's default ephemeral range (32768–60999) and Windows' (49152–65535).</summary>
    private const int Lowest = 20_000;

    public static int[] Take(int count)
    {
        var highest = EphemeralLow() - 1;
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var attempt = 0; listeners.Count < count; attempt++)
            {
                if (attempt > 1000)
                {
                    throw new InvalidOperationException($"No {count} free ports between {Lowest} and {highest}.");
                }

                var listener = new TcpListener(IPAddress.Any, Random.Shared.Next(Lowest, highest + 1));
                try
                {
                    listener.Start(); // held until all are chosen, so one call never returns a port twice
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    // taken: try another
                }
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>The lowest port of the ephemeral range (Linux: from /proc; elsewhere the lowest default of the systems this runs on).</summary>
    private static int EphemeralLow()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var low) && low > Lowest + 1000)
        {
            return low;
        }

        return 32_768;
    }
}
