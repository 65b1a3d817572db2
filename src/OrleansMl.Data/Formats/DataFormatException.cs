namespace OrleansMl.Data.Formats;

/// <summary>
/// A source file is malformed. <see cref="Exception.Message"/> names the source and, where it applies,
/// the 1-based line and column and what was expected there.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string source, string problem, long? line = null, int? column = null, Exception? inner = null)
        : base(Format(source, problem, line, column), inner)
    {
        Source = source;
        Problem = problem;
        Line = line;
        ColumnNumber = column;
    }

    /// <summary>The file, upload or artifact being read.</summary>
    public new string Source { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>1-based line (text formats) or record number (binary formats), when known.</summary>
    public long? Line { get; }

    /// <summary>1-based column number (field index for CSV), when known.</summary>
    public int? ColumnNumber { get; }

    private static string Format(string source, string problem, long? line, int? column) =>
        (line, column) switch
        {
            ({ } l, { } c) => $"{source}: line {l}, column {c}: {problem}",
            ({ } l, null) => $"{source}: line {l}: {problem}",
            _ => $"{source}: {problem}",
        };
}
