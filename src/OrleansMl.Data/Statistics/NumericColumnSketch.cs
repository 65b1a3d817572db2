using System.Buffers;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>Int64, Float64, Timestamp (microseconds) and Boolean (0/1) columns: exact moments, HyperLogLog, KLL.</summary>
internal sealed class NumericColumnSketch : ColumnSketch
{
    private readonly HyperLogLog _distinct;
    private readonly KllSketch _quantiles;
    private Moments _moments = Moments.Empty;
    private long _nulls;
    private long _nans;

    private NumericColumnSketch(ColumnSchema schema, HyperLogLog distinct, KllSketch quantiles)
        : base(schema)
    {
        _distinct = distinct;
        _quantiles = quantiles;
    }

    public static NumericColumnSketch Compute(Column column)
    {
        var sketch = new NumericColumnSketch(column.Schema, new HyperLogLog(), new KllSketch());
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(1, column.Length));
        try
        {
            var count = column switch
            {
                Int64Column c => sketch.Gather(c.Values, c.Nulls, buffer),
                Float64Column c => sketch.Gather(c.Values, c.Nulls, buffer),
                BooleanColumn c => sketch.Gather(c.Values, c.Nulls, buffer),
                _ => throw new SchemaException($"Column '{column.Name}' of type {column.Type} is not stored as numbers."),
            };

            var values = buffer.AsSpan(0, count);
            sketch._moments = Moments.Of(values);
            var loader = new KllBulkLoader(sketch._quantiles, count);
            loader.Add(values);
            loader.Complete();
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }

        return sketch;
    }

    public static NumericColumnSketch Read(ColumnSchema schema, ref SketchReader reader)
    {
        var nulls = reader.ReadCount();
        var nans = reader.ReadCount();
        var moments = Moments.Read(ref reader);
        var distinct = HyperLogLog.Read(ref reader);
        var quantiles = KllSketch.Read(ref reader);
        return new NumericColumnSketch(schema, distinct, quantiles) { _nulls = nulls, _nans = nans, _moments = moments };
    }

    public override void Merge(ColumnSketch other)
    {
        var numeric = (NumericColumnSketch)other;
        _nulls += numeric._nulls;
        _nans += numeric._nans;
        _moments = Moments.Merge(_moments, numeric._moments);
        _distinct.Merge(numeric._distinct);
        _quantiles.Merge(numeric._quantiles);
    }

    public override void Write(SketchWriter writer)
    {
        writer.WriteCount(_nulls);
        writer.WriteCount(_nans);
        _moments.Write(writer);
        _distinct.Write(writer);
        _quantiles.Write(writer);
    }

    public override ColumnSummary Summarize(IReadOnlyList<double> quantiles, int histogramBins)
    {
        var m = _moments;
        var any = m.Count > 0;
        var cdf = _quantiles.ToCdf();
        return new ColumnSummary
        {
            Name = Schema.Name,
            Type = Schema.Type,
            Count = m.Count,
            NullCount = _nulls,
            NanCount = _nans,
            Min = any ? m.Min : null,
            Max = any ? m.Max : null,
            Mean = any ? m.Mean : null,
            Std = m.Count > 1 ? m.SampleStd : null,
            DistinctEstimate = Math.Min(_distinct.Estimate(), m.Count),
            Quantiles = Distribution.Quantiles(cdf, m, quantiles),
            Histogram = Distribution.Histogram(cdf, m, histogramBins),
        };
    }

    private int Gather(ReadOnlySpan<long> values, NullMask? nulls, Span<double> buffer)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls is not null && nulls[i])
            {
                _nulls++;
                continue;
            }

            var value = values[i];
            _distinct.AddInt64(value);
            buffer[count++] = value;
        }

        return count;
    }

    private int Gather(ReadOnlySpan<double> values, NullMask? nulls, Span<double> buffer)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (nulls is not null && nulls[i])
            {
                _nulls++;
            }
            else if (double.IsNaN(value))
            {
                _nans++;
            }
            else
            {
                buffer[count++] = value;
            }
        }

        _distinct.AddDoubles(buffer[..count]);
        return count;
    }

    private int Gather(ReadOnlySpan<bool> values, NullMask? nulls, Span<double> buffer)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls is not null && nulls[i])
            {
                _nulls++;
                continue;
            }

            var value = values[i] ? 1 : 0;
            _distinct.AddInt64(value);
            buffer[count++] = value;
        }

        return count;
    }
}
