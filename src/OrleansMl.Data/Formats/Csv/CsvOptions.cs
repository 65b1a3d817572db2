using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Csv;

/// <summary>How to read a CSV / TSV file. Defaults follow RFC 4180 with a header line.</summary>
public sealed record CsvOptions
{
    /// <summary>The field delimiter; null detects it from the first lines among , tab ; |.</summary>
    public char? Delimiter { get; init; }

    /// <summary>The first record holds the column names (default true); otherwise columns are column_1, column_2, …</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>Unquoted field texts read as null (default: empty, NA, N/A, null, NULL).</summary>
    public IReadOnlyList<string> NullValues { get; init; } = ["", "NA", "N/A", "null", "NULL"];

    /// <summary>Records sampled to infer column types (default 10,000). A later value that does not fit is an error naming it.</summary>
    public int InferenceRows { get; init; } = 10_000;

    /// <summary>Column types that replace the inferred ones, by column name.</summary>
    public IReadOnlyDictionary<string, ColumnType>? ColumnTypes { get; init; }

    /// <summary>Text columns with at most this many distinct values in the sample (and repeating values) are Categorical.</summary>
    public int CategoricalMaxDistinct { get; init; } = 100;

    /// <summary>The longest record accepted, in bytes (default 64 MiB); a longer one fails with its line.</summary>
    public int MaxRecordBytes { get; init; } = 64 << 20;

    public BadRecordPolicy BadRecords { get; init; } = BadRecordPolicy.Fail;
}
