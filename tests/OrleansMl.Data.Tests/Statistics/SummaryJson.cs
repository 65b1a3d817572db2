using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansMl.Data.Statistics;

namespace OrleansMl.Data.Tests.Statistics;

/// <summary>Summaries as canonical JSON, so tests can compare every member, lists and arrays included.</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Of(DatasetSummary summary) => JsonSerializer.Serialize(summary, Options);
}
