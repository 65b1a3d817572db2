using System.Text.Json.Serialization;

namespace OrleansMl.Cli.Errors;

/// <summary>What <c>--output json</c> prints on stderr for a failure that did not come with the platform's own problem document.</summary>
public sealed record CliProblem(
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hint = null);
