using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Sql;

/// <summary>
/// The first rows by ORDER BY keys: nulls last unless NULLS FIRST (whatever the direction, as DuckDB
/// orders them), ties in row order. A full sort when most rows are kept; a bounded heap of the best
/// rows seen so far when few are (ORDER BY ... LIMIT k costs n·log k, not n·log n).
/// </summary>
internal static class RowOrder
{
    public static int[] First(IReadOnlyList<Column> keys, IReadOnlyList<OrderItem> items, int rows, int count)
    {
        count = Math.Min(count, rows);
        var compare = Comparison(keys, items);
        if (keys.Count == 0 || (long)count * 8 >= rows)
        {
            var all = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                all[i] = i;
            }

            if (keys.Count > 0)
            {
                Array.Sort(all, compare);
            }

            return count == rows ? all : all[..count];
        }

        if (count == 0)
        {
            return [];
        }

        // A max-heap (by the order) of the best rows so far: a row better than the worst one replaces it.
        var worstFirst = Comparer<int>.Create((a, b) => compare(b, a));
        var heap = new PriorityQueue<int, int>(count, worstFirst);
        for (var row = 0; row < count; row++)
        {
            heap.Enqueue(row, row);
        }

        var skip = FirstKeyScan.For(keys[0], items[0]);
        for (var row = count; row < rows; row++)
        {
            // Most rows lose on the first key alone: a tight scan passes over them without the full comparison.
            if (skip is not null && (row = skip.NextCandidate(row, rows, heap.Peek())) == rows)
            {
                break;
            }

            if (compare(row, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(row, row);
            }
        }

        var best = new int[heap.Count];
        for (var i = best.Length - 1; i >= 0; i--)
        {
            best[i] = heap.Dequeue();
        }

        return best;
    }

    private static Comparison<int> Comparison(IReadOnlyList<Column> keys, IReadOnlyList<OrderItem> items)
    {
        var byKeys = KeyComparison(keys, items);
        return (a, b) => byKeys(a, b) is var c && c != 0 ? c : a.CompareTo(b);
    }

    /// <summary>Compares two rows by the keys alone: 0 for rows the ORDER BY cannot tell apart (peers).</summary>
    public static Comparison<int> KeyComparison(IReadOnlyList<Column> keys, IReadOnlyList<OrderItem> items)
    {
        var compare = keys.Select(RowComparer.For).ToArray();
        return (a, b) =>
        {
            for (var k = 0; k < compare.Length; k++)
            {
                var (aNull, bNull) = (keys[k].IsNull(a), keys[k].IsNull(b));
                if (aNull || bNull)
                {
                    if (aNull && bNull)
                    {
                        continue;
                    }

                    return (aNull ? 1 : -1) * (items[k].NullsFirst ? -1 : 1);
                }

                var c = compare[k](a, b);
                if (c != 0)
                {
                    return items[k].Descending ? -c : c;
                }
            }

            return 0;
        };
    }

    /// <summary>
    /// Over a number column ordered first: the next row from a given one that is not strictly worse, on
    /// that key alone, than the heap's worst row (which the full comparison then decides). Nulls, NaN and
    /// a null worst row never compare strictly, so they always go to the full comparison.
    /// </summary>
    private abstract class FirstKeyScan
    {
        public static FirstKeyScan? For(Column key, OrderItem item) => key switch
        {
            Float64Column floats => new Scan<double>(floats.UnsafeArray, key.Nulls, item.Descending),
            Int64Column integers => new Scan<long>(integers.UnsafeArray, key.Nulls, item.Descending),
            _ => null,
        };

        public abstract int NextCandidate(int from, int rows, int worst);

        private sealed class Scan<T>(T[] values, NullMask? nulls, bool descending) : FirstKeyScan
            where T : struct, System.Numerics.INumber<T>
        {
            public override int NextCandidate(int from, int rows, int worst)
            {
                if (nulls is not null && nulls[worst])
                {
                    return from;
                }

                var bound = values[worst];
                var row = from;
                if (descending)
                {
                    while (row < rows && values[row] < bound && (nulls is null || !nulls[row]))
                    {
                        row++;
                    }
                }
                else
                {
                    while (row < rows && values[row] > bound && (nulls is null || !nulls[row]))
                    {
                        row++;
                    }
                }

                return row;
            }
        }
    }
}
