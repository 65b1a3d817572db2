using System.Runtime.InteropServices;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>median(x)</c>, <c>quantile_cont(x, q)</c> and <c>quantile_disc(x, q)</c>
/// (also <c>quantile</c>, as in DuckDB), exact: a partition's state is its group's non-null values, the merge joins
/// them, and the finish selects the values at the quantile's position (NaN above every number, as DuckDB
/// orders them). Continuous quantiles interpolate between the values around
/// position q·(n - 1) and are float64; the discrete one is the value at ⌊q·(n - 1)⌋, of x's type.
/// Null over no values. The values travel as float64, so integers past 2^53 round.
/// </summary>
internal sealed class QuantileAggregate(string name, double quantile, bool discrete, ColumnType type) : SqlAggregate(name)
{
    public override ColumnType ResultType => discrete ? type : ColumnType.Float64;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [ColumnType.String];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var values = new List<double>?[groups];
        var numbers = AsDoubles(argument!);
        for (var row = 0; row < rows; row++)
        {
            if (!argument!.IsNull(row))
            {
                (values[ids[row]] ??= []).Add(numbers[row]);
            }
        }

        return [Encode(values, prefix)];
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var values = new List<double>?[groups];
        var encoded = ((StringColumn)states[0]).Values;
        for (var row = 0; row < ids.Length; row++)
        {
            if (encoded[row] is { } state)
            {
                (values[ids[row]] ??= []).AddRange(Decode(state));
            }
        }

        return [Encode(values, prefix)];
    }

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var encoded = ((StringColumn)states[0]).Values;
        var results = new double[encoded.Length];
        NullMask? nulls = null;
        for (var g = 0; g < results.Length; g++)
        {
            if (encoded[g] is not { } state)
            {
                (nulls ??= new NullMask(results.Length)).SetNull(g);
                continue;
            }

            var values = Decode(state);
            var position = quantile * (values.Length - 1);
            var below = (int)Math.Floor(position);
            var at = Select(values, below);
            results[g] = discrete || below == values.Length - 1 ? at : at + ((position - below) * (Smallest(values.AsSpan(below + 1)) - at));
        }

        var schema = new ColumnSchema(name, ResultType);
        if (ResultType is ColumnType.Int64 or ColumnType.Timestamp)
        {
            return new Int64Column(schema, [.. results.Select(v => (long)v)], nulls);
        }

        if (ResultType is ColumnType.Boolean)
        {
            return new BooleanColumn(schema, [.. results.Select(v => v != 0)], nulls);
        }

        return new Float64Column(schema, results, nulls);
    }

    /// <summary>
    /// The value of rank <paramref name="k"/> (from 0) in DuckDB's order of numbers (NaN above all), found by
    /// selection rather than a sort (expected linear time), leaving every value after position k not below it.
    /// </summary>
    internal static double Select(double[] values, int k)
    {
        int low = 0, high = values.Length - 1, rounds = 0;
        while (low < high)
        {
            if (++rounds > 64)
            {
                // An input that defeats the pivot choice: sort what is left instead.
                Array.Sort(values, low, high - low + 1, Comparer<double>.Create(Compare));
                break;
            }

            var pivot = MedianOfThree(values[low], values[low + ((high - low) >> 1)], values[high]);
            int i = low, j = high;
            while (i <= j)
            {
                while (Below(values[i], pivot))
                {
                    i++;
                }

                while (Below(pivot, values[j]))
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    private static double Smallest(ReadOnlySpan<double> values)
    {
        var smallest = values[0];
        foreach (var value in values)
        {
            if (Below(value, smallest))
            {
                smallest = value;
            }
        }

        return smallest;
    }

    private static bool Below(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static int Compare(double a, double b) => Below(a, b) ? -1 : Below(b, a) ? 1 : 0;

    private static double MedianOfThree(double a, double b, double c) =>
        Below(a, b) ? (Below(b, c) ? b : Below(a, c) ? c : a) : (Below(a, c) ? a : Below(b, c) ? c : b);

    private StringColumn Encode(List<double>?[] values, string prefix) =>
        new(State(prefix, 0), [.. values.Select(v => v is null ? null : Convert.ToBase64String(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(v))))]);

    private static double[] Decode(string state) => MemoryMarshal.Cast<byte, double>(Convert.FromBase64String(state)).ToArray();
}
