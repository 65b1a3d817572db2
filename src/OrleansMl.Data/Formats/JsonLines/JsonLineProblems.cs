using System.Text.Json;
using System.Text.Unicode;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>The wording of what is wrong with a JSON line; the caller adds the line and column.</summary>
internal static class JsonLineProblems
{
    /// <summary>Describes the current token for "found …": <c>string "abc"</c>, <c>number 1.5</c>, <c>true</c>, <c>an array</c>.</summary>
    public static string Found(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"string \"{Utf8Values.Excerpt(reader.ValueSpan)}\"",
        JsonTokenType.Number => $"number {Utf8Values.Excerpt(reader.ValueSpan)}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        var other => other.ToString(),
    };

    /// <summary>The 1-based column of the current token.</summary>
    public static int Column(ref Utf8JsonReader reader) => (int)reader.TokenStartIndex + 1;

    public static string NotAnObject(ref Utf8JsonReader reader) => $"expected a JSON object, found {Found(ref reader)}";

    public static string NestedObject(string key) => $"key '{key}': nested objects are not supported; flatten them";

    public static string VectorElement(string key, ref Utf8JsonReader reader) =>
        $"key '{key}': a vector element must be a number (arrays are read as float32 vectors), found {Found(ref reader)}";

    public static string DuplicateKey(string key) => $"key '{key}' appears more than once in the line";

    public static string InvalidEscape(string? key) =>
        key is null ? "a key holds an invalid \\u escape (a lone UTF-16 surrogate)" : $"key '{key}': the string holds an invalid \\u escape (a lone UTF-16 surrogate)";

    /// <summary>A string value that is not valid UTF-8, or null when it is valid.</summary>
    public static string? InvalidUtf8Value(string key, ReadOnlySpan<byte> raw) =>
        Utf8.IsValid(raw) ? null : $"key '{key}' is not valid UTF-8 (at byte {Utf8Values.InvalidUtf8Offset(raw)} of the value)";

    /// <summary>A key that is not valid UTF-8, or null when it is valid.</summary>
    public static string? InvalidUtf8Key(ReadOnlySpan<byte> raw) =>
        Utf8.IsValid(raw) ? null : $"a key is not valid UTF-8 (at byte {Utf8Values.InvalidUtf8Offset(raw)} of the key)";

    /// <summary>What a <see cref="JsonException"/> from the reader means, and the 1-based column where.</summary>
    public static string InvalidJson(JsonException exception, ReadOnlySpan<byte> line, out int column)
    {
        var invalid = Utf8Values.InvalidUtf8Offset(line);
        if (invalid >= 0)
        {
            column = invalid + 1;
            return $"the line is not valid UTF-8 (at byte {invalid} of the line)";
        }

        column = (int)(exception.BytePositionInLine ?? 0) + 1;
        var message = exception.Message;
        var location = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return $"invalid JSON: {(location > 0 ? message[..location] : message)}";
    }
}
