namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>read_parquet('path')</c>, <c>read_csv('path', header = false, delim = ';')</c>, <c>read_json('path')</c> in FROM:
/// a file read in place, without importing it; <see cref="Path"/> is a server path, or <c>artifact:</c> and a path in the artifact store.
/// </summary>
public sealed record FileRelation(string Function, string Path, IReadOnlyDictionary<string, object?> Options, string? Alias, int Position, int Length) : SqlRelation(Alias, Position, Length)
{
    /// <summary>The prefix of a path in the artifact store rather than on the server.</summary>
    public const string ArtifactPrefix = "artifact:";

    /// <summary>The table functions and the import format each reads.</summary>
    public static readonly IReadOnlyDictionary<string, string> Formats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["read_parquet"] = "parquet", ["read_csv"] = "csv", ["read_csv_auto"] = "csv", ["read_json"] = "json", ["read_json_auto"] = "json",
        ["read_ndjson"] = "jsonl", ["read_arrow"] = "arrow",
    };

    /// <summary>The options a table function takes, and what each means.</summary>
    public static readonly IReadOnlyDictionary<string, string> OptionNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["header"] = "true when the first line names the columns (csv)", ["delim"] = "the field separator (csv)", ["sep"] = "the field separator (csv)",
    };
}
