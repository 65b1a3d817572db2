using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>How to read a JSON lines file (one JSON object per line, UTF-8).</summary>
public sealed record JsonLinesOptions
{
    /// <summary>
    /// Non-blank lines sampled to infer the schema (default 10,000): the columns are the keys seen
    /// in the sample, in order of first appearance. A later key that is not among them is an error.
    /// </summary>
    public int InferenceRows { get; init; } = 10_000;

    /// <summary>
    /// Column types that replace the inferred ones, by key. A key given here that the sample does
    /// not hold becomes a column too (after the sampled keys), so sparse keys can be declared.
    /// </summary>
    public IReadOnlyDictionary<string, ColumnType>? ColumnTypes { get; init; }

    /// <summary>Text columns with at most this many distinct values in the sample (and repeating values) are Categorical (default 100).</summary>
    public int CategoricalMaxDistinct { get; init; } = 100;

    /// <summary>The longest line accepted, in bytes without the line break (default 64 MiB); a longer one fails with its line.</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    /// <summary>What to do with a line that cannot be read (default <see cref="BadRecordPolicy.Fail"/>).</summary>
    public BadRecordPolicy BadRecords { get; init; } = BadRecordPolicy.Fail;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (InferenceRows < 1)
        {
            throw new ArgumentException($"JsonLinesOptions.InferenceRows must be at least 1; it is {InferenceRows}.");
        }

        if (CategoricalMaxDistinct < 0)
        {
            throw new ArgumentException($"JsonLinesOptions.CategoricalMaxDistinct must not be negative; it is {CategoricalMaxDistinct}.");
        }

        if (MaxLineBytes is < 1 or > JsonLineSplitter.MaxSupportedLineBytes)
        {
            throw new ArgumentException($"JsonLinesOptions.MaxLineBytes must be between 1 and {JsonLineSplitter.MaxSupportedLineBytes:N0}; it is {MaxLineBytes:N0}.");
        }

        if (!Enum.IsDefined(BadRecords))
        {
            throw new ArgumentException($"JsonLinesOptions.BadRecords has an unknown value {BadRecords}.");
        }
    }
}
