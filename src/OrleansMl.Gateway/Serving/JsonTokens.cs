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

    /// <summary>Reads the next token, or fails as the body ending too early.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw FieldError.Invalid("The body ends before the JSON does.", "body");
        }
    }
}
