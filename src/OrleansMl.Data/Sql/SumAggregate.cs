using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>sum(x)</c> and <c>avg(x)</c>. A sum of integers stays an exact int64 (an overflow is an error,
/// not a wrong number); a sum of floats and every average are float64. Null when no row has a value.
/// </summary>
internal sealed class SumAggregate(string name, bool average, bool integers) : SqlAggregate(name)
{
    private readonly bool _exact = integers && !average;

    /// <summary>True for an exact integer sum, which fails on overflow.</summary>
    public bool CanOverflow => _exact;

    public override ColumnType ResultType => _exact ? ColumnType.Int64 : ColumnType.Float64;

    public override IReadOnlyList<ColumnType> StateTypes => [_exact ? ColumnType.Int64 : ColumnType.Float64, ColumnType.Int64];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var counts = new long[groups];
        if (_exact)
        {
            var sums = new long[groups];
            var values = ((Int64Column)argument!).Values;
            for (var row = 0; row < rows; row++)
            {
                if (!argument.IsNull(row))
                {
                    sums[ids[row]] = Add(sums[ids[row]], values[row]);
                    counts[ids[row]]++;
                }
            }

            return [new Int64Column(State(prefix, 0), sums), new Int64Column(State(prefix, 1), counts)];
        }

        var totals = new double[groups];
        var doubles = AsDoubles(argument!);
        for (var row = 0; row < rows; row++)
        {
            if (!argument!.IsNull(row))
            {
                totals[ids[row]] += doubles[row];
                counts[ids[row]]++;
            }
        }

        return [new Float64Column(State(prefix, 0), totals), new Int64Column(State(prefix, 1), counts)];
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var counts = new long[groups];
        var sourceCounts = ((Int64Column)states[1]).Values;
        Column sums;
        if (_exact)
        {
            var totals = new long[groups];
            var source = ((Int64Column)states[0]).Values;
            for (var row = 0; row < ids.Length; row++)
            {
                totals[ids[row]] = Add(totals[ids[row]], source[row]);
                counts[ids[row]] += sourceCounts[row];
            }

            sums = new Int64Column(State(prefix, 0), totals);
        }
        else
        {
            var totals = new double[groups];
            var source = ((Float64Column)states[0]).Values;
            for (var row = 0; row < ids.Length; row++)
            {
                totals[ids[row]] += source[row];
                counts[ids[row]] += sourceCounts[row];
            }

            sums = new Float64Column(State(prefix, 0), totals);
        }

        return [sums, new Int64Column(State(prefix, 1), counts)];
    }

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var counts = ((Int64Column)states[1]).UnsafeArray;
        var nulls = NullsWhereZero(counts);
        if (_exact)
        {
            return new Int64Column(new ColumnSchema(name, ColumnType.Int64), ((Int64Column)states[0]).UnsafeArray, nulls);
        }

        var sums = ((Float64Column)states[0]).UnsafeArray;
        if (!average)
        {
            return new Float64Column(new ColumnSchema(name, ColumnType.Float64), sums, nulls);
        }

        var means = new double[sums.Length];
        for (var g = 0; g < means.Length; g++)
        {
            means[g] = counts[g] == 0 ? 0 : sums[g] / counts[g];
        }

        return new Float64Column(new ColumnSchema(name, ColumnType.Float64), means, nulls);
    }

    private long Add(long a, long b)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw new SchemaException($"{Name}() overflows int64 (±9223372036854775807); sum a float64 instead, e.g. {Name}(x * 1.0).");
        }
    }
}
