using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Ui.Components.Shared;

/// <summary>Numbers, sizes and times as people read them.</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>A count with thousands separators: 1,234,567.</summary>
    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A measurement to four significant digits, with thousands separators when large: 0.1235, 12,346.</summary>
    public static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ when Math.Abs(value) >= 10_000 && Math.Abs(value) < 1e15 => value.ToString("N0", Culture),
        _ => value.ToString("G4", Culture),
    };

    /// <summary>Bytes in the largest unit that keeps a number of at least 1: 812 B, 3.4 MiB.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value.ToString(value < 10 ? "0.0" : "0", Culture)} {units[unit]}";
    }

    /// <summary>How long ago: "just now", "5 min ago", "3 h ago", "2 days ago", then the date.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds switch
        {
            < 60 => "just now",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86_400 => $"{(int)age.TotalHours} h ago",
            < 30 * 86_400 => $"{(int)age.TotalDays} day{((int)age.TotalDays == 1 ? "" : "s")} ago",
            _ => at.UtcDateTime.ToString("yyyy-MM-dd", Culture),
        };
    }

    /// <summary>
    /// A JSON value from the API as text: numbers as <see cref="Number"/> (whole numbers with thousands separators when
    /// <paramref name="separators"/>, else as written: an id or a year reads better without), text as is, null as "null".
    /// </summary>
    public static string Value(JsonElement value, bool separators = false) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var whole) => separators ? Count(whole) : whole.ToString(Culture),
        JsonValueKind.Number => Number(value.GetDouble()),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    /// <summary>The highest role the person holds.</summary>
    public static string Role(ClaimsPrincipal user) =>
        Enum.GetValues<GatewayRole>().Select(GatewayPolicies.For).LastOrDefault(user.IsInRole) ?? "no role";
}
