using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>The rows of a window in order, and what each function computes from them.</summary>
public static partial class SqlWindow
{
    /// <summary>The rows sorted by partition then ORDER BY keys (<see cref="Order"/>), and per position its partition's and its peers' bounds.</summary>
    private sealed record Window(int[] Order, int[] Start, int[] End, int[] PeerStart, int[] PeerEnd)
    {
        /// <summary>The positions [lo, hi] the frame of position <paramref name="p"/> reads (empty when lo > hi).</summary>
        public (int Lo, int Hi) Frame(WindowFrame frame, int p)
        {
            var (first, last) = (Start[p], End[p] - 1);
            if (!frame.Rows)
            {
                return (first, frame.End is null ? last : PeerEnd[p]);
            }

            long size = Order.Length;
            var lo = frame.Start is { } start ? Math.Clamp(p + Math.Clamp(start, -size, size), first, last + 1L) : first;
            var hi = frame.End is { } end ? Math.Clamp(p + Math.Clamp(end, -size, size), first - 1L, last) : last;
            return ((int)lo, (int)hi);
        }
    }

    private static Window Sorted(ColumnBatch rows, WindowFunction function)
    {
        var n = rows.RowCount;
        var groups = function.PartitionBy.Count == 0 ? null : GroupIds.Compute([.. function.PartitionBy.Select(c => rows[c])], n);
        var partition = groups?.Ids ?? new int[n];
        var keys = function.OrderBy.Select(o => rows[((ColumnReferenceNode)o.Expression).Name]).ToList();
        var peers = RowOrder.KeyComparison(keys, function.OrderBy);

        // Rows by partition (in the partitions' order of first appearance) with a counting sort, each in row order; then
        // each partition by its ORDER BY keys, ties in row order. Partitions are often small (a customer's few orders):
        // sorting them one by one saves most of the comparisons a sort of all rows by (partition, keys) would make.
        var count = groups?.Count ?? (n > 0 ? 1 : 0);
        var bounds = new int[count + 1];
        for (var i = 0; i < n; i++)
        {
            bounds[partition[i] + 1]++;
        }

        for (var g = 0; g < count; g++)
        {
            bounds[g + 1] += bounds[g];
        }

        var order = new int[n];
        var next = bounds[..count];
        for (var i = 0; i < n; i++)
        {
            order[next[partition[i]]++] = i;
        }

        if (keys.Count > 0)
        {
            Comparison<int> byKeys = (a, b) => peers(a, b) is var c && c != 0 ? c : a.CompareTo(b);
            for (var g = 0; g < count; g++)
            {
                if (bounds[g + 1] - bounds[g] > 1)
                {
                    order.AsSpan(bounds[g], bounds[g + 1] - bounds[g]).Sort(byKeys);
                }
            }
        }

        var (start, end, peerStart, peerEnd) = (new int[n], new int[n], new int[n], new int[n]);
        for (var s = 0; s < n;)
        {
            var e = s + 1;
            while (e < n && partition[order[e]] == partition[order[s]])
            {
                e++;
            }

            for (var p = s; p < e;)
            {
                var q = p + 1;
                while (q < e && peers(order[p], order[q]) == 0)
                {
                    q++;
                }

                for (var r = p; r < q; r++)
                {
                    (start[r], end[r], peerStart[r], peerEnd[r]) = (s, e, p, q - 1);
                }

                p = q;
            }

            s = e;
        }

        return new Window(order, start, end, peerStart, peerEnd);
    }

    private static long[] Ranks(Window window, WindowFunction function)
    {
        var n = window.Order.Length;
        var result = new long[n];
        long dense = 0;
        var buckets = function.Name == "ntile" ? (long)((LiteralNode)function.Call.Arguments[0]).Value! : 0;
        for (var p = 0; p < n; p++)
        {
            var s = window.Start[p];
            dense = p == s ? 1 : window.PeerStart[p] == p ? dense + 1 : dense;
            result[window.Order[p]] = function.Name switch
            {
                "row_number" => p - s + 1,
                "rank" => window.PeerStart[p] - s + 1,
                "dense_rank" => dense,
                _ => Tile(p - s, window.End[p] - s, buckets),
            };
        }

        return result;
    }

    /// <summary>The bucket of the row at <paramref name="index"/> of <paramref name="size"/>, as DuckDB's ntile numbers them (the first buckets one row larger).</summary>
    private static long Tile(long index, long size, long buckets)
    {
        buckets = Math.Min(buckets, size);
        var small = size / buckets;
        var large = size - (buckets * small);
        var inLarge = large * (small + 1);
        return index < inLarge ? 1 + (index / (small + 1)) : 1 + large + ((index - inLarge) / small);
    }

    private static double[] Distribution(Window window, string name)
    {
        var result = new double[window.Order.Length];
        for (var p = 0; p < result.Length; p++)
        {
            double size = window.End[p] - window.Start[p];
            result[window.Order[p]] = name == "percent_rank"
                ? (size > 1 ? (window.PeerStart[p] - window.Start[p]) / (size - 1) : 0)
                : (window.PeerEnd[p] - window.Start[p] + 1) / size;
        }

        return result;
    }

    /// <summary>For each row, the row <paramref name="delta"/> positions after it in its partition, or -1.</summary>
    private static int[] Shifted(Window window, long delta)
    {
        var from = new int[window.Order.Length];
        for (var p = 0; p < from.Length; p++)
        {
            var target = p + delta;
            from[window.Order[p]] = target >= window.Start[p] && target < window.End[p] ? window.Order[target] : -1;
        }

        return from;
    }

    /// <summary>For each row, the row of its frame first_value, last_value, min or max picks (-1 for an empty frame or only nulls).</summary>
    private static int[] Picked(Window window, WindowFunction function, Column? values)
    {
        var from = new int[window.Order.Length];
        if (function.Name is "first_value" or "last_value")
        {
            for (var p = 0; p < from.Length; p++)
            {
                var (lo, hi) = window.Frame(function.Frame, p);
                from[window.Order[p]] = lo > hi ? -1 : window.Order[function.Name == "first_value" ? lo : hi];
            }

            return from;
        }

        var compare = RowComparer.For(values!);
        var sign = function.Name == "max" ? -1 : 1;
        var best = -1;
        Walk(window, function.Frame, () => best = -1, row =>
        {
            if (!values!.IsNull(row) && (best < 0 || sign * compare(row, best) < 0))
            {
                best = row;
            }
        }, row => from[row] = best);
        return from;
    }

    /// <summary>count, sum and avg over each row's frame.</summary>
    private static Column Aggregate(Window window, WindowFunction function, Column? values, ColumnSchema output, int n)
    {
        long count = 0;
        long whole = 0;
        double real = 0;
        var counts = new long[n];
        var sums = function.Name == "count" ? null : new double[n];
        var wholes = function.Name == "sum" && values is Int64Column ? new long[n] : null;
        var integers = (values as Int64Column)?.UnsafeArray;
        var floats = (values as Float64Column)?.UnsafeArray;
        try
        {
            Walk(window, function.Frame, () => (count, whole, real) = (0, 0, 0), row =>
            {
                if (values is null || !values.IsNull(row))
                {
                    count++;
                    if (integers is not null)
                    {
                        whole = checked(whole + integers[row]);
                        real += integers[row];
                    }
                    else if (floats is not null)
                    {
                        real += floats[row];
                    }
                }
            }, row =>
            {
                counts[row] = count;
                if (sums is not null)
                {
                    sums[row] = function.Name == "sum" ? real : real / count;
                }

                if (wholes is not null)
                {
                    wholes[row] = whole;
                }
            });
        }
        catch (OverflowException)
        {
            throw new SchemaException($"{function.Written} overflowed int64; cast the values to double first.");
        }

        if (function.Name == "count")
        {
            return new Int64Column(output, counts);
        }

        NullMask? nulls = null;
        for (var i = 0; i < n; i++)
        {
            if (counts[i] == 0)
            {
                (nulls ??= new NullMask(n)).SetNull(i);
            }
        }

        return wholes is not null ? new Int64Column(output, wholes, nulls) : new Float64Column(output, sums!, nulls);
    }

    /// <summary>
    /// Feeds each row's frame to an aggregate: a frame that only grows (running, or the whole partition) gets
    /// the new rows; any other starts again (<paramref name="reset"/>). <paramref name="store"/> then reads it for the row.
    /// </summary>
    private static void Walk(Window window, WindowFrame frame, Action reset, Action<int> add, Action<int> store)
    {
        var (lo, hi) = (-1, -1);
        for (var p = 0; p < window.Order.Length; p++)
        {
            var (from, to) = window.Frame(frame, p);
            if (lo < 0 || from != lo || to < hi)
            {
                reset();
                hi = from - 1;
            }

            for (var r = hi + 1; r <= to; r++)
            {
                add(window.Order[r]);
            }

            (lo, hi) = from > to ? (-1, -1) : (from, to);
            store(window.Order[p]);
        }
    }
}
