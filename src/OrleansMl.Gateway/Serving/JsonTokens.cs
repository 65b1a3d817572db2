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
}
