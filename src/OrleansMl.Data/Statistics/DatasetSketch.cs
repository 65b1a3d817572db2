using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Mergeable statistics of some columns of a dataset, for <c>describe</c>: each partition computes a
/// sketch of its rows, the sketches travel as <see cref="ToBytes"/>, merge in any grouping, and the
/// merged sketch is summarised once. Counts, nulls, min and max merge exactly; mean and standard
/// deviation merge by Chan et al.'s parallel update (equal to a single pass up to rounding);
/// distinct counts (HyperLogLog) and quantiles and histograms (KLL) carry their sketch's error,
/// about 1%. Text top values are exact while a column has at most 1000 distinct values.
/// The same inputs merged in the same order give the same bytes. A sketch is not thread-safe.
/// </summary>
public sealed class DatasetSketch
{
    private const byte FormatVersion = 1;

    private readonly ColumnSketch[] _columns;

    private DatasetSketch(long rowCount, ColumnSketch[] columns)
    {
        RowCount = rowCount;
        _columns = columns;
        Schema = new DatasetSchema(Array.ConvertAll(columns, c => c.Schema));
    }

    /// <summary>The quantiles <see cref="Summarize"/> reports unless told otherwise.</summary>
    public static IReadOnlyList<double> DefaultQuantiles { get; } = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

    /// <summary>Rows seen, null or not.</summary>
    public long RowCount { get; private set; }

    /// <summary>The described columns, in the order of the batch they came from.</summary>
    public DatasetSchema Schema { get; }

    /// <summary>
    /// Sketches the rows of <paramref name="batch"/>: every column, or those named in
    /// <paramref name="columns"/> (kept in batch order; an unknown name throws <see cref="SchemaException"/>).
    /// </summary>
    public static DatasetSketch Compute(ColumnBatch batch, IReadOnlyCollection<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (columns is not null)
        {
            foreach (var name in columns)
            {
                batch.Schema.Get(name);
            }
        }

        var chosen = new List<ColumnSketch>(batch.Columns.Count);
        foreach (var column in batch.Columns)
        {
            if (columns is null || columns.Contains(column.Name))
            {
                chosen.Add(ColumnSketch.Of(column));
            }
        }

        return new DatasetSketch(batch.RowCount, [.. chosen]);
    }

    /// <summary>A new sketch of all the given sketches' rows; the inputs are left as they were.</summary>
    public static DatasetSketch Merge(IReadOnlyList<DatasetSketch> sketches)
    {
        ArgumentNullException.ThrowIfNull(sketches);
        ArgumentOutOfRangeException.ThrowIfZero(sketches.Count);
        var merged = FromBytes(sketches[0].ToBytes());
        for (var i = 1; i < sketches.Count; i++)
        {
            merged.Merge(sketches[i]);
        }

        return merged;
    }

    /// <summary>Adds the rows of <paramref name="other"/>, a sketch of the same columns over other rows. <paramref name="other"/> is not changed.</summary>
    public void Merge(DatasetSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("A sketch cannot be merged into itself; merge a copy from FromBytes(ToBytes()).", nameof(other));
        }

        if (!Schema.Equals(other.Schema))
        {
            throw new SchemaException($"Cannot merge sketches of different columns: ({Schema}) and ({other.Schema}).");
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Merge(other._columns[i]);
        }

        RowCount += other.RowCount;
    }

    /// <summary>
    /// The sketch's compact little-endian binary form: a version byte, the row count and, per
    /// column, its name, type and vector length followed by its statistics.
    /// </summary>
    public byte[] ToBytes()
    {
        var writer = new SketchWriter();
        writer.WriteByte(FormatVersion);
        writer.WriteCount(RowCount);
        writer.WriteCount(_columns.Length);
        foreach (var column in _columns)
        {
            writer.WriteString(column.Schema.Name);
            writer.WriteByte((byte)column.Schema.Type);
            writer.WriteCount(column.Schema.VectorLength);
            column.Write(writer);
        }

        return writer.ToArray();
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="InvalidDataException"/> for a truncated, malformed or newer-version input.</summary>
    public static DatasetSketch FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SketchReader(bytes);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The dataset sketch has format version {version}; this build reads version {FormatVersion}.");
        }

        var rowCount = reader.ReadCount();
        var columns = new ColumnSketch[reader.ReadLength(int.MaxValue, 3)];
        for (var i = 0; i < columns.Length; i++)
        {
            var name = reader.ReadString();
            var type = (ColumnType)reader.ReadByte();
            if (!Enum.IsDefined(type))
            {
                throw reader.Malformed($"column '{name}' of unknown type {(int)type}");
            }

            var vectorLength = reader.ReadLength(int.MaxValue, 0);
            columns[i] = ColumnSketch.ReadFrom(new ColumnSchema(name, type, vectorLength), ref reader);
        }

        if (reader.Remaining != 0)
        {
            throw reader.Malformed($"{reader.Remaining} bytes after the last column");
        }

        try
        {
            return new DatasetSketch(rowCount, columns);
        }
        catch (SchemaException e)
        {
            throw new InvalidDataException($"The dataset sketch is malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The statistics of every sketched column. <paramref name="quantiles"/> are probabilities in
    /// [0, 1] (default <see cref="DefaultQuantiles"/>); <paramref name="histogramBins"/> equal-width
    /// bins per number column, 0 for none.
    /// </summary>
    public DatasetSummary Summarize(IReadOnlyList<double>? quantiles = null, int histogramBins = 20)
    {
        quantiles ??= DefaultQuantiles;
        foreach (var p in quantiles)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(quantiles), p, "Quantile probabilities must lie in [0, 1].");
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(histogramBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(histogramBins, 10_000);
        var summaries = new ColumnSummary[_columns.Length];
        for (var i = 0; i < summaries.Length; i++)
        {
            summaries[i] = _columns[i].Summarize(quantiles, histogramBins);
        }

        return new DatasetSummary(RowCount, summaries);
    }
}
