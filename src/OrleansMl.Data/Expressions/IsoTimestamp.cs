using System.Globalization;

namespace OrleansMl.Data.Expressions;

/// <summary>Reads the ISO-8601 date/time literals that timestamp columns compare with.</summary>
internal static class IsoTimestamp
{
    // K takes Z, an offset such as +02:00, or nothing (then the time is UTC).
    private static readonly string[] Formats =
    [
        "yyyy-MM-ddK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Microseconds since the Unix epoch (UTC) of <paramref name="text"/>, if it is an ISO-8601 date or date and time.</summary>
    public static bool TryParse(string text, out long microseconds)
    {
        if (DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            microseconds = (value.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
            return true;
        }

        microseconds = 0;
        return false;
    }
}
