namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>Cuts a UTF-8 stream into the JSON records a reader parses one by one: lines of JSON lines, or the elements of one JSON array.</summary>
internal interface IJsonRecordSplitter
{
    /// <summary>Bytes consumed from the stream.</summary>
    long BytesRead { get; }

    /// <summary>The 1-based line (of the file) where the record last returned starts.</summary>
    long Line { get; }

    /// <summary>The next record, valid until the next call, or false at the end.</summary>
    bool TryReadLine(out ReadOnlySpan<byte> line);
}
