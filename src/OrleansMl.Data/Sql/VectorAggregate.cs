using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>sum(v)</c>, <c>avg(v)</c>, <c>min(v)</c>, <c>max(v)</c> of a vector column, element by element: a
/// vector of the column's length per group (a centroid, a class's mean image). Rows whose vector is
/// null are skipped; the result is null where a group has none. States are the element-wise sums (or
/// extremes) and, for avg, the count; sums run in float64 within a partition and travel as float32.
/// </summary>
internal sealed class VectorAggregate(string name, string column, int length) : SqlAggregate(name)
{
    private readonly bool _average = name is "avg" or "mean";

    public override string? VectorColumn { get; } = column;

    public override ColumnType ResultType => ColumnType.Vector;

    public override int VectorLength => length;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = name is "avg" or "mean" ? [ColumnType.Vector, ColumnType.Int64] : [ColumnType.Vector];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix) =>
        Combine((VectorColumn)argument!, null, ids, groups, prefix);

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix) =>
        Combine((VectorColumn)states[0], _average ? (Int64Column)states[1] : null, ids, groups, prefix);

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var schema = new ColumnSchema(name, ColumnType.Vector, length);
        var values = (VectorColumn)states[0];
        if (!_average)
        {
            return values.WithSchema(schema);
        }

        var counts = ((Int64Column)states[1]).Values;
        var means = values.Values.ToArray();
        for (var g = 0; g < counts.Length; g++)
        {
            if (counts[g] > 0)
            {
                TensorPrimitives.Divide(means.AsSpan(g * length, length), counts[g], means.AsSpan(g * length, length));
            }
        }

        return new VectorColumn(schema, means, values.Nulls);
    }

    /// <summary>Per group, the element-wise sum (or min, max) of the vectors (states) of its rows and their count.</summary>
    private Column[] Combine(VectorColumn vectors, Int64Column? weights, int[] ids, int groups, string prefix)
    {
        var extreme = Name is "min" or "max";
        var totals = new double[groups * length];
        var counts = new long[groups];
        for (var row = 0; row < ids.Length; row++)
        {
            if (vectors.IsNull(row))
            {
                continue;
            }

            var g = ids[row];
            var vector = vectors.Row(row);
            var total = totals.AsSpan(g * length, length);
            for (var i = 0; i < length; i++)
            {
                total[i] = !extreme ? total[i] + vector[i]
                    : counts[g] == 0 ? vector[i]
                    : Name == "min" ? Math.Min(total[i], vector[i]) : Math.Max(total[i], vector[i]);
            }

            counts[g] += weights?.Values[row] ?? 1;
        }

        var nulls = NullsWhereZero(counts);
        var state = new VectorColumn(new ColumnSchema($"{prefix}_0", ColumnType.Vector, length), [.. totals.Select(v => (float)v)], nulls);
        return _average ? [state, new Int64Column(State(prefix, 1), counts)] : [state];
    }
}
