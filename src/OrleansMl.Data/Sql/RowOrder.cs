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
        for (var row = 0; row < rows; row++)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(row, row);
            }
            else if (compare(row, heap.Peek()) < 0)
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
}
