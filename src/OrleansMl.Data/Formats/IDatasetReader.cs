using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats;

/// <summary>
/// Reads a source (CSV, JSON lines, Parquet, IDX, an image folder) as a sequence of column batches.
/// Pull-based and synchronous: imports run it on a dedicated thread and pipeline the batches onward.
/// </summary>
public interface IDatasetReader : IDisposable
{
    /// <summary>The schema of every batch this reader returns.</summary>
    DatasetSchema Schema { get; }

    /// <summary>Bytes consumed from the source so far, for progress reporting.</summary>
    long BytesRead { get; }

    /// <summary>Rows returned so far.</summary>
    long RowsRead { get; }

    /// <summary>The next batch of at most <paramref name="maxRows"/> rows, or null at the end of the source.</summary>
    /// <exception cref="DataFormatException">The source is malformed; the message names where.</exception>
    ColumnBatch? ReadBatch(int maxRows);
}
