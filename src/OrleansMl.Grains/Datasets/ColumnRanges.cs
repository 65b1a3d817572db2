using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Datasets;

/// <summary>
/// Cheap per-column statistics gathered while partitions are written (row count, nulls, min, max of
/// numbers and vector elements) for the manifest; <c>describe</c> computes the full statistics.
/// </summary>
public sealed class ColumnRanges(DatasetSchema schema)
{
    private readonly long[] _nulls = new long[schema.Count];
    private readonly double[] _min = Enumerable.Repeat(double.PositiveInfinity, schema.Count).ToArray();
    private readonly double[] _max = Enumerable.Repeat(double.NegativeInfinity, schema.Count).ToArray();

    public long Rows { get; private set; }

    public void Add(ColumnBatch batch)
    {
        Rows += batch.RowCount;
        for (var c = 0; c < batch.Columns.Count; c++)
        {
            var column = batch[c];
            _nulls[c] += column.CountNulls();
            if (column.Length == 0 || column.Nulls is not null)
            {
                continue; // min/max only over columns without nulls in this batch, to stay vectorised
            }

            (double Min, double Max)? range = column switch
            {
                Float64Column d => (TensorPrimitives.MinNumber(d.Values), TensorPrimitives.MaxNumber(d.Values)),
                Int64Column l => (TensorPrimitives.Min(l.Values), TensorPrimitives.Max(l.Values)),
                VectorColumn v => (TensorPrimitives.MinNumber(v.Values), TensorPrimitives.MaxNumber(v.Values)),
                _ => null,
            };
            if (range is { } r)
            {
                _min[c] = Math.Min(_min[c], r.Min);
                _max[c] = Math.Max(_max[c], r.Max);
            }
        }
    }

    public void Merge(ColumnRanges other)
    {
        Rows += other.Rows;
        for (var c = 0; c < _nulls.Length; c++)
        {
            _nulls[c] += other._nulls[c];
            _min[c] = Math.Min(_min[c], other._min[c]);
            _max[c] = Math.Max(_max[c], other._max[c]);
        }
    }

    /// <summary>For the manifest: name → { nulls, min, max } (min/max omitted when unknown).</summary>
    public IReadOnlyList<object> ToJson() => [.. schema.Columns.Select((column, c) => (object)new
    {
        name = column.Name,
        nulls = _nulls[c],
        min = double.IsFinite(_min[c]) ? _min[c] : (double?)null,
        max = double.IsFinite(_max[c]) ? _max[c] : (double?)null,
    })];
}
