using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>var_samp</c> (also <c>variance</c>), <c>var_pop</c>, <c>stddev_samp</c> (also <c>stddev</c>) and
/// <c>stddev_pop</c>. State: count, mean and the sum of squared deviations (Welford within a partition,
/// Chan et al.'s pairwise formula across partitions), which stays accurate where the textbook
/// sum-of-squares formula cancels. Null with no value, and the sample forms with one.
/// </summary>
internal sealed class VarianceAggregate(string name, bool sample, bool root) : SqlAggregate(name)
{
    public override ColumnType ResultType => ColumnType.Float64;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [ColumnType.Int64, ColumnType.Float64, ColumnType.Float64];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var counts = new long[groups];
        var means = new double[groups];
        var squares = new double[groups];
        var values = AsDoubles(argument!);
        for (var row = 0; row < rows; row++)
        {
            if (argument!.IsNull(row))
            {
                continue;
            }

            var g = ids[row];
            var n = ++counts[g];
            var delta = values[row] - means[g];
            means[g] += delta / n;
            squares[g] += delta * (values[row] - means[g]);
        }

        return States(prefix, counts, means, squares);
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var counts = new long[groups];
        var means = new double[groups];
        var squares = new double[groups];
        var sourceCounts = ((Int64Column)states[0]).Values;
        var sourceMeans = ((Float64Column)states[1]).Values;
        var sourceSquares = ((Float64Column)states[2]).Values;
        for (var row = 0; row < ids.Length; row++)
        {
            var other = sourceCounts[row];
            if (other == 0)
            {
                continue;
            }

            var g = ids[row];
            var n = counts[g] + other;
            var delta = sourceMeans[row] - means[g];
            squares[g] += sourceSquares[row] + (delta * delta * counts[g] * other / n);
            means[g] += delta * other / n;
            counts[g] = n;
        }

        return States(prefix, counts, means, squares);
    }

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var counts = ((Int64Column)states[0]).UnsafeArray;
        var squares = ((Float64Column)states[2]).UnsafeArray;
        var results = new double[counts.Length];
        NullMask? nulls = null;
        for (var g = 0; g < results.Length; g++)
        {
            var divisor = sample ? counts[g] - 1 : counts[g];
            if (divisor <= 0)
            {
                (nulls ??= new NullMask(results.Length)).SetNull(g);
                continue;
            }

            var variance = Math.Max(0, squares[g] / divisor);
            results[g] = root ? Math.Sqrt(variance) : variance;
        }

        return new Float64Column(new ColumnSchema(name, ColumnType.Float64), results, nulls);
    }

    private Column[] States(string prefix, long[] counts, double[] means, double[] squares) =>
        [new Int64Column(State(prefix, 0), counts), new Float64Column(State(prefix, 1), means), new Float64Column(State(prefix, 2), squares)];
}
