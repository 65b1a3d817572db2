using System.Globalization;
using System.Text.Json;

namespace OrleansMl.Gateway.Serving;

/// <summary>Small helpers of the hand-written request readers: what a token is, in words, and reading on.</summary>
internal static class JsonTokens
{
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        JsonTokenType.EndArray => "the end of the list",
        JsonTokenType.EndObject => "the end of the object",
        _ => token.ToString(),
    };

    /// <summary>The current value in words: a number out of float32's range says so.</summary>
    public static string DescribeValue(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? "a number outside float32's range" : Describe(reader.TokenType);

    /// <summary>Fails as <c>body</c> if anything but white space follows the top-level object.</summary>
    public static void EndOfBody(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw FieldError.Invalid($"The body goes on after its JSON object ({Describe(reader.TokenType)}).", "body");
        }
    }

    /// <summary>Reads the next token, or fails as the body ending too early.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw FieldError.Invalid("The body ends before the JSON does.", "body");
        }
    }

    /// <summary>
    /// Reads a list of <paramref name="length"/> finite numbers into <paramref name="values"/>; the reader is on
    /// its StartArray and ends on its EndArray. Errors name <paramref name="field"/> (and the position of a bad number).
    /// </summary>
    public static void ReadVector(ref Utf8JsonReader reader, FloatBuffer values, int length, string field)
    {
        var count = 0;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value) || !float.IsFinite(value))
            {
                var position = string.Create(CultureInfo.InvariantCulture, $"{field}[{count}]");
                throw FieldError.Invalid($"{position}: expected a number, found {DescribeValue(ref reader)}.", position);
            }

            if (++count <= length)
            {
                values.Add(value);
            }
        }

        if (count != length)
        {
            throw FieldError.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}: expected a list of {length} numbers, found {count}."), field);
        }
    }
}
