using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Statistics;

internal sealed partial class VectorColumnSketch
{
    /// <summary>
    /// One pass over the rows. Each slot accumulates, in double, the sum and sum of squares of its
    /// values minus a shift (the slot's value in the first non-null row), which keeps the variance
    /// free of cancellation when a slot's mean is large against its spread; the per-row work is
    /// whole-row TensorPrimitives calls. A row that holds a NaN goes slot by slot and skips it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VectorColumnSketch Compute(VectorColumn column)
    {
        var sketch = new VectorColumnSketch(column.Schema, new HyperLogLog(), new KllSketch());
        var dimension = column.Dimension;
        var nulls = column.Nulls;
        var nullRows = column.CountNulls();
        sketch._nulls = nullRows;

        var shift = new double[dimension];
        var sum = new double[dimension];
        var sumOfSquares = new double[dimension];
        var row64 = new double[dimension];
        var min = new float[dimension];
        var max = new float[dimension];
        min.AsSpan().Fill(float.PositiveInfinity);
        max.AsSpan().Fill(float.NegativeInfinity);
        long[]? nanRowCounts = null;
        long wholeRows = 0;
        var shiftChosen = false;
        var loader = new KllBulkLoader(sketch._quantiles, (long)(column.Length - nullRows) * dimension);

        for (var r = 0; r < column.Length; r++)
        {
            if (nulls is not null && nulls[r])
            {
                continue;
            }

            var row = column.Row(r);
            if (!shiftChosen)
            {
                ChooseShift(row, shift);
                shiftChosen = true;
            }

            TensorPrimitives.MinNumber(min, row, min);
            TensorPrimitives.MaxNumber(max, row, max);
            if (float.IsNaN(TensorPrimitives.Sum(row)))
            {
                sketch.AddRowWithNaN(row, shift, sum, sumOfSquares, nanRowCounts ??= new long[dimension], row64, loader);
                continue;
            }

            TensorPrimitives.ConvertTruncating<float, double>(row, row64);
            sketch._distinct.AddDoubles(row64);
            loader.Add(row64);
            TensorPrimitives.Subtract(row64, shift, row64);
            TensorPrimitives.Add(sum, row64, sum);
            TensorPrimitives.MultiplyAdd(row64, row64, sumOfSquares, sumOfSquares);
            wholeRows++;
        }

        loader.Complete();
        for (var j = 0; j < dimension; j++)
        {
            var n = wholeRows + (nanRowCounts?[j] ?? 0);
            if (n > 0)
            {
                var s = sum[j];
                sketch.SetSlot(j, new Moments(n, shift[j] + (s / n), Math.Max(0, sumOfSquares[j] - (s * s / n)), min[j], max[j]));
            }
        }

        return sketch;
    }

    private static void ChooseShift(ReadOnlySpan<float> row, Span<double> shift)
    {
        for (var j = 0; j < row.Length; j++)
        {
            shift[j] = float.IsFinite(row[j]) ? row[j] : 0;
        }
    }

    private void AddRowWithNaN(
        ReadOnlySpan<float> row, ReadOnlySpan<double> shift, Span<double> sum, Span<double> sumOfSquares,
        Span<long> counts, Span<double> scratch, KllBulkLoader loader)
    {
        var valid = 0;
        for (var j = 0; j < row.Length; j++)
        {
            double value = row[j];
            if (double.IsNaN(value))
            {
                _nans++;
                continue;
            }

            var d = value - shift[j];
            sum[j] += d;
            sumOfSquares[j] += d * d;
            counts[j]++;
            scratch[valid++] = value;
        }

        _distinct.AddDoubles(scratch[..valid]);
        loader.Add(scratch[..valid]);
    }
}
