using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace OrleansMl.Cli.Output;

/// <summary>Values as table cells: short, invariant, escaped for markup.</summary>
public static class Cells
{
    /// <summary>Vectors longer than this show their first values and their length.</summary>
    public const int VectorPreview = 6;

    public static string Text(string? value) => value is null ? "[grey]-[/]" : Markup.Escape(value);

    public static string Number(double? value) => value is { } v ? Markup.Escape(Format(v)) : "[grey]-[/]";

    public static string Number(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "[grey]-[/]";

    public static string Time(DateTimeOffset? value) => value is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "[grey]-[/]";

    public static string Bytes(long? value)
    {
        if (value is not { } bytes)
        {
            return "[grey]-[/]";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var size = (double)bytes;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{size:0.#} {units[unit]}");
    }

    /// <summary>A JSON value: numbers compact, arrays shortened to <see cref="VectorPreview"/> items, null as a dash.</summary>
    public static string Json(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "[grey]-[/]",
        JsonValueKind.String => Markup.Escape(value.GetString()!),
        JsonValueKind.Number => Markup.Escape(value.TryGetDouble(out var d) ? Format(d) : value.GetRawText()),
        JsonValueKind.Array => Markup.Escape(Array(value)),
        _ => Markup.Escape(value.GetRawText()),
    };

    /// <summary>Parameters or metrics as <c>k=v</c> pairs, sorted by name.</summary>
    public static string Pairs<T>(IEnumerable<KeyValuePair<string, T>>? pairs, Func<T, string> format) =>
        pairs is null ? string.Empty : Markup.Escape(string.Join(' ', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={format(p.Value)}")));

    public static string Format(double value) => value.ToString(Math.Abs(value) is >= 1e-4 and < 1e7 or 0 ? "0.####" : "G4", CultureInfo.InvariantCulture);

    private static string Array(JsonElement array)
    {
        var text = new StringBuilder("[");
        var length = array.GetArrayLength();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (i == VectorPreview)
            {
                text.Append(CultureInfo.InvariantCulture, $", … ({length})");
                break;
            }

            text.Append(i == 0 ? string.Empty : ", ").Append(item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out var d) ? Format(d) : item.ToString());
            i++;
        }

        return text.Append(']').ToString();
    }
}
