using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMl.Client;

/// <summary>The gateway's JSON: web defaults (camelCase, case-insensitive); nulls are left out of requests so server defaults apply.</summary>
internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, string what) =>
        JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException($"The gateway answered null for {what}.");
}
