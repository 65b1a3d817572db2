using System.Globalization;

namespace OrleansMl.Bench.Measurement;

/// <summary>Numbers for people: thousands separators for large values, three significant digits for small ones.</summary>
internal static class NumberFormat
{
    public static string Compact(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("G3", CultureInfo.InvariantCulture),
    };

    public static string WithUnit(double value, string unit) => $"{Compact(value)} {unit}";
}
