using System.Runtime.InteropServices;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Vector columns: per-slot count, mean, M2, min and max (merged slot by slot with Chan et al.),
/// and, over all elements, a HyperLogLog and a KLL sketch. The whole-column moments are the merge
/// of the slot moments. Accumulation is in <c>VectorColumnSketch.Compute.cs</c>.
/// </summary>
internal sealed partial class VectorColumnSketch : ColumnSketch
{
    private readonly HyperLogLog _distinct;
    private readonly KllSketch _quantiles;
    private readonly long[] _count;
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly double[] _min;
    private readonly double[] _max;
    private long _nulls;
    private long _nans;

    private VectorColumnSketch(ColumnSchema schema, HyperLogLog distinct, KllSketch quantiles)
        : base(schema)
    {
        var dimension = schema.VectorLength;
        _distinct = distinct;
        _quantiles = quantiles;
        _count = new long[dimension];
        _mean = new double[dimension];
        _m2 = new double[dimension];
        _min = new double[dimension];
        _max = new double[dimension];
        _min.AsSpan().Fill(double.PositiveInfinity);
        _max.AsSpan().Fill(double.NegativeInfinity);
    }

    private int Dimension => _count.Length;

    public static VectorColumnSketch Read(ColumnSchema schema, ref SketchReader reader)
    {
        var nulls = reader.ReadCount();
        var nans = reader.ReadCount();
        var dimension = reader.ReadLength(int.MaxValue, 1 + (4 * sizeof(double)));
        if (dimension != schema.VectorLength)
        {
            throw reader.Malformed($"vector column '{schema.Name}' of length {dimension} where the schema says {schema.VectorLength}");
        }

        var slots = new Moments[dimension];
        for (var j = 0; j < dimension; j++)
        {
            slots[j] = Moments.Read(ref reader);
        }

        var sketch = new VectorColumnSketch(schema, HyperLogLog.Read(ref reader), KllSketch.Read(ref reader)) { _nulls = nulls, _nans = nans };
        for (var j = 0; j < dimension; j++)
        {
            sketch.SetSlot(j, slots[j]);
        }

        return sketch;
    }

    public override void Merge(ColumnSketch other)
    {
        var vector = (VectorColumnSketch)other;
        _nulls += vector._nulls;
        _nans += vector._nans;
        for (var j = 0; j < Dimension; j++)
        {
            SetSlot(j, Moments.Merge(Slot(j), vector.Slot(j)));
        }

        _distinct.Merge(vector._distinct);
        _quantiles.Merge(vector._quantiles);
    }

    public override void Write(SketchWriter writer)
    {
        writer.WriteCount(_nulls);
        writer.WriteCount(_nans);
        writer.WriteCount(Dimension);
        for (var j = 0; j < Dimension; j++)
        {
            Slot(j).Write(writer);
        }

        _distinct.Write(writer);
        _quantiles.Write(writer);
    }

    public override ColumnSummary Summarize(IReadOnlyList<double> quantiles, int histogramBins)
    {
        var all = Moments.Empty;
        var std = new double[Dimension];
        var mean = new double[Dimension];
        var min = new double[Dimension];
        var max = new double[Dimension];
        for (var j = 0; j < Dimension; j++)
        {
            var slot = Slot(j);
            all = Moments.Merge(all, slot);
            var any = slot.Count > 0;
            mean[j] = any ? slot.Mean : double.NaN;
            std[j] = slot.SampleStd;
            min[j] = any ? slot.Min : double.NaN;
            max[j] = any ? slot.Max : double.NaN;
        }

        var cdf = _quantiles.ToCdf();
        var anyValue = all.Count > 0;
        return new ColumnSummary
        {
            Name = Schema.Name,
            Type = Schema.Type,
            Count = all.Count,
            NullCount = _nulls,
            NanCount = _nans,
            Min = anyValue ? all.Min : null,
            Max = anyValue ? all.Max : null,
            Mean = anyValue ? all.Mean : null,
            Std = all.Count > 1 ? all.SampleStd : null,
            DistinctEstimate = Math.Min(_distinct.Estimate(), all.Count),
            Quantiles = Distribution.Quantiles(cdf, all, quantiles),
            Histogram = Distribution.Histogram(cdf, all, histogramBins),
            Slots = new VectorSlotSummary(
                [.. _count],
                ImmutableCollectionsMarshal.AsImmutableArray(mean),
                ImmutableCollectionsMarshal.AsImmutableArray(std),
                ImmutableCollectionsMarshal.AsImmutableArray(min),
                ImmutableCollectionsMarshal.AsImmutableArray(max)),
        };
    }

    private Moments Slot(int j) => new(_count[j], _mean[j], _m2[j], _min[j], _max[j]);

    private void SetSlot(int j, in Moments slot)
    {
        _count[j] = slot.Count;
        _mean[j] = slot.Mean;
        _m2[j] = slot.M2;
        _min[j] = slot.Min;
        _max[j] = slot.Max;
    }
}
