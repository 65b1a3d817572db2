using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace OrleansMl.Cli.Output;

/// <summary>Indented JSON, written straight to a console's writer so that nothing wraps or escapes it.</summary>
public static class JsonOutput
{
    /// <summary>Web defaults (camelCase), indented; NaN and infinities as strings rather than a failure.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // for terminals and scripts, never embedded in HTML
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(IAnsiConsole console, T value)
    {
        ArgumentNullException.ThrowIfNull(console);
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
        writer.Flush();
    }
}
