using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Statistics;

/// <summary>Columns and batches for the statistics tests.</summary>
internal static class TestColumns
{
    public static NullMask? NullsWhere(int length, Func<int, bool> isNull)
    {
        NullMask? mask = null;
        for (var i = 0; i < length; i++)
        {
            if (isNull(i))
            {
                (mask ??= new NullMask(length)).SetNull(i);
            }
        }

        return mask;
    }

    public static Float64Column Float64(string name, double[] values, NullMask? nulls = null) =>
        new(new ColumnSchema(name, ColumnType.Float64), values, nulls);

    public static Int64Column Int64(string name, long[] values, NullMask? nulls = null, ColumnType type = ColumnType.Int64) =>
        new(new ColumnSchema(name, type), values, nulls);

    public static BooleanColumn Boolean(string name, bool[] values, NullMask? nulls = null) =>
        new(new ColumnSchema(name, ColumnType.Boolean), values, nulls);

    public static StringColumn Text(string name, string?[] values, ColumnType type = ColumnType.String) =>
        new(new ColumnSchema(name, type), values);

    public static VectorColumn Vector(string name, int dimension, float[] values, NullMask? nulls = null) =>
        new(new ColumnSchema(name, ColumnType.Vector, dimension), values, nulls);

    public static ColumnBatch Batch(params Column[] columns) => new(columns);

    /// <summary>Splits a batch into consecutive parts of the given sizes.</summary>
    public static ColumnBatch[] Split(ColumnBatch batch, params int[] sizes)
    {
        var parts = new ColumnBatch[sizes.Length];
        var start = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            parts[i] = batch.Slice(start, sizes[i]);
            start += sizes[i];
        }

        Assert.Equal(batch.RowCount, start);
        return parts;
    }

    /// <summary>A batch of every column type with nulls, NaNs and repeats.</summary>
    public static ColumnBatch Mixed(int rows, int seed)
    {
        var random = new Random(seed);
        var doubles = new double[rows];
        var longs = new long[rows];
        var times = new long[rows];
        var flags = new bool[rows];
        var words = new string?[rows];
        var labels = new string?[rows];
        var vectors = new float[rows * 4];
        for (var i = 0; i < rows; i++)
        {
            doubles[i] = i % 37 == 0 ? double.NaN : (random.NextDouble() * 100) - 20;
            longs[i] = random.NextInt64(-1_000, 1_000_000);
            times[i] = 1_700_000_000_000_000 + random.NextInt64(0, 86_400_000_000);
            flags[i] = random.Next(3) == 0;
            words[i] = i % 19 == 0 ? null : $"word-{random.Next(5000)}";
            labels[i] = i % 23 == 0 ? null : $"label-{random.Next(7)}";
            for (var j = 0; j < 4; j++)
            {
                vectors[(i * 4) + j] = (float)(random.NextDouble() * (j + 1));
            }
        }

        return Batch(
            Float64("f", doubles, NullsWhere(rows, i => i % 11 == 0)),
            Int64("i", longs, NullsWhere(rows, i => i % 13 == 5)),
            Int64("t", times, NullsWhere(rows, i => i % 17 == 3), ColumnType.Timestamp),
            Boolean("b", flags, NullsWhere(rows, i => i % 29 == 1)),
            Text("s", words),
            Text("c", labels, ColumnType.Categorical),
            Vector("v", 4, vectors, NullsWhere(rows, i => i % 31 == 2)));
    }
}
