using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// Dense group numbers for rows by the values of key columns, numbered by first appearance. Each key
/// column is first coded densely (text through a dictionary, small integer ranges by offset, other
/// numbers through a dictionary; null is a code of its own, as SQL's GROUP BY and DISTINCT treat it;
/// -0.0 groups with 0.0 and every NaN with every other); the codes of all keys then combine
/// arithmetically into one number per row, which a lookup table (or, past a few million combinations,
/// a dictionary) turns into the group. One pass per key and one over the rows, no per-row allocation.
/// </summary>
internal sealed class GroupIds
{
    private const int MaxTable = 1 << 22;
    private const long MaxOffsetRange = 1 << 20;

    private GroupIds(int[] ids, int count, int[] first)
    {
        Ids = ids;
        Count = count;
        First = first;
    }

    /// <summary>The group of each row.</summary>
    public int[] Ids { get; }

    /// <summary>The number of groups.</summary>
    public int Count { get; }

    /// <summary>The first row of each group, in group order.</summary>
    public int[] First { get; }

    public static GroupIds Compute(IReadOnlyList<Column> keys, int rows)
    {
        var combined = new long[rows];
        long combinations = 1;
        foreach (var key in keys)
        {
            var (codes, cardinality) = DenseCodes(key);
            if (combinations > long.MaxValue / cardinality)
            {
                // Too many combinations to multiply out: number the combinations so far densely first.
                combinations = Densify(combined, rows, combinations).Count;
            }

            for (var row = 0; row < rows; row++)
            {
                combined[row] = (combined[row] * cardinality) + codes[row];
            }

            combinations *= cardinality;
        }

        return Densify(combined, rows, combinations);
    }

    /// <summary>Numbers the distinct values of <paramref name="combined"/> by first appearance, rewriting it in place.</summary>
    private static GroupIds Densify(long[] combined, int rows, long combinations)
    {
        var ids = new int[rows];
        var first = new List<int>();
        if (combinations <= MaxTable)
        {
            var table = new int[combinations];
            for (var row = 0; row < rows; row++)
            {
                ref var slot = ref table[combined[row]];
                if (slot == 0)
                {
                    first.Add(row);
                    slot = first.Count;
                }

                ids[row] = slot - 1;
            }
        }
        else
        {
            var numbers = new Dictionary<long, int>();
            for (var row = 0; row < rows; row++)
            {
                if (!numbers.TryGetValue(combined[row], out var id))
                {
                    id = numbers.Count;
                    numbers.Add(combined[row], id);
                    first.Add(row);
                }

                ids[row] = id;
            }
        }

        for (var row = 0; row < rows; row++)
        {
            combined[row] = ids[row];
        }

        return new GroupIds(ids, first.Count, [.. first]);
    }

    /// <summary>The least and greatest value that is not null; min &gt; max when every row is null.</summary>
    public static (long Min, long Max) Range(Int64Column column)
    {
        var values = column.Values;
        long min = long.MaxValue, max = long.MinValue;
        for (var i = 0; i < values.Length; i++)
        {
            if (!column.IsNull(i))
            {
                min = Math.Min(min, values[i]);
                max = Math.Max(max, values[i]);
            }
        }

        return (min, max);
    }

    /// <summary>A code per row in 0..cardinality-1, equal exactly when the values are; nulls take the last code.</summary>
    private static (int[] Codes, long Cardinality) DenseCodes(Column column)
    {
        var codes = new int[column.Length];
        switch (column)
        {
            case StringColumn coded when coded.TryGetCodes(out var dictionaryCodes, out var dictionary):
            {
                // Held as codes into distinct values: the codes are the numbers already.
                dictionaryCodes.CopyTo(codes);
                if (coded.Nulls is { } nulls)
                {
                    for (var i = 0; i < codes.Length; i++)
                    {
                        codes[i] = nulls[i] ? dictionary.Length : codes[i];
                    }
                }

                return (codes, dictionary.Length + 1L);
            }

            case StringColumn strings:
            {
                var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
                var values = strings.Values;
                var memo = new StringMemo<int>(); // categorical and dictionary-decoded text repeat a few instances: look up the reference first
                for (var i = 0; i < codes.Length; i++)
                {
                    var value = values[i];
                    if (value is null)
                    {
                        codes[i] = -1;
                        continue;
                    }

                    if (memo.TryGet(value, out codes[i], out var slot))
                    {
                        continue;
                    }

                    if (!numbers.TryGetValue(value, out var number))
                    {
                        number = numbers.Count;
                        numbers.Add(value, number);
                    }

                    codes[i] = number;
                    memo.Set(slot, value, number);
                }

                return NullsLast(codes, numbers.Count);
            }

            case BooleanColumn booleans:
            {
                var values = booleans.Values;
                for (var i = 0; i < codes.Length; i++)
                {
                    codes[i] = booleans.IsNull(i) ? 2 : values[i] ? 1 : 0;
                }

                return (codes, 3);
            }

            case Int64Column integers:
            {
                var values = integers.Values;
                var (min, max) = Range(integers);
                if (min > max)
                {
                    return (codes, 1); // every row null
                }

                if ((ulong)(max - min) < MaxOffsetRange)
                {
                    var nullCode = (int)(max - min + 1);
                    for (var i = 0; i < codes.Length; i++)
                    {
                        codes[i] = integers.IsNull(i) ? nullCode : (int)(values[i] - min);
                    }

                    return (codes, nullCode + 1L);
                }

                return ByDictionary(integers, values, v => v);
            }

            case Float64Column floats:
                return ByDictionary(floats, floats.Values, v => BitConverter.DoubleToInt64Bits(v == 0 ? 0.0 : double.IsNaN(v) ? double.NaN : v));

            default:
                throw new SchemaException($"Rows cannot be grouped or compared by '{column.Name}', a {column.Type.ToString().ToLowerInvariant()} column.");
        }
    }

    private static (int[] Codes, long Cardinality) ByDictionary<T>(Column column, ReadOnlySpan<T> values, Func<T, long> key)
    {
        var codes = new int[values.Length];
        var numbers = new Dictionary<long, int>();
        for (var i = 0; i < codes.Length; i++)
        {
            if (column.IsNull(i))
            {
                codes[i] = -1;
                continue;
            }

            var k = key(values[i]);
            if (!numbers.TryGetValue(k, out var number))
            {
                number = numbers.Count;
                numbers.Add(k, number);
            }

            codes[i] = number;
        }

        return NullsLast(codes, numbers.Count);
    }

    /// <summary>Null rows (code -1) take the code after the values'.</summary>
    private static (int[] Codes, long Cardinality) NullsLast(int[] codes, int distinct)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] < 0)
            {
                codes[i] = distinct;
            }
        }

        return (codes, distinct + 1L);
    }
}
