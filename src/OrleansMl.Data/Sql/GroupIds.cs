using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// Dense group numbers for rows by the values of key columns, one key column at a time: each row's
/// number so far and its value in the next key map to the next number. Nulls form one group per key,
/// as SQL's GROUP BY and DISTINCT treat them; -0.0 groups with 0.0 and every NaN with every other.
/// </summary>
internal sealed class GroupIds
{
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

    /// <summary>The first row of each group, in group order (groups are numbered by first appearance).</summary>
    public int[] First { get; }

    public static GroupIds Compute(IReadOnlyList<Column> keys, int rows)
    {
        var ids = new int[rows];
        var count = rows > 0 ? 1 : 0;
        foreach (var key in keys)
        {
            var codes = Codes(key);
            var next = new Dictionary<(int Group, bool Null, long Code), int>();
            for (var row = 0; row < rows; row++)
            {
                var entry = (ids[row], key.IsNull(row), key.IsNull(row) ? 0 : codes[row]);
                if (!next.TryGetValue(entry, out var id))
                {
                    id = next.Count;
                    next.Add(entry, id);
                }

                ids[row] = id;
            }

            count = next.Count;
        }

        var first = new int[count];
        first.AsSpan().Fill(-1);
        for (var row = 0; row < rows; row++)
        {
            if (first[ids[row]] < 0)
            {
                first[ids[row]] = row;
            }
        }

        return new GroupIds(ids, count, first);
    }

    /// <summary>A 64-bit code per row that is equal exactly when the values are (for text, a number per distinct string).</summary>
    private static long[] Codes(Column column)
    {
        switch (column)
        {
            case Int64Column integers:
                return integers.UnsafeArray;
            case Float64Column floats:
            {
                var codes = new long[floats.Length];
                var values = floats.Values;
                for (var i = 0; i < codes.Length; i++)
                {
                    var value = values[i];
                    codes[i] = BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : double.IsNaN(value) ? double.NaN : value);
                }

                return codes;
            }

            case BooleanColumn booleans:
            {
                var codes = new long[booleans.Length];
                var values = booleans.Values;
                for (var i = 0; i < codes.Length; i++)
                {
                    codes[i] = values[i] ? 1 : 0;
                }

                return codes;
            }

            case StringColumn strings:
            {
                var codes = new long[strings.Length];
                var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
                var values = strings.Values;
                for (var i = 0; i < codes.Length; i++)
                {
                    if (values[i] is { } value)
                    {
                        if (!numbers.TryGetValue(value, out var number))
                        {
                            number = numbers.Count;
                            numbers.Add(value, number);
                        }

                        codes[i] = number;
                    }
                }

                return codes;
            }

            default:
                throw new SchemaException($"Rows cannot be grouped or compared by '{column.Name}', a {column.Type.ToString().ToLowerInvariant()} column.");
        }
    }
}
