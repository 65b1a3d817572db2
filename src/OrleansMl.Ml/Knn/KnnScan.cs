using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Knn;

/// <summary>
/// One thread's share of a <see cref="KnnIndex.Search"/>: a tile of queries (kept in L2) against a
/// tile of rows at a time (streamed through L2 and reused by every 4-query block), the raw pair
/// values of the tile computed by <see cref="PairKernels.Block"/>, then turned into distances and
/// offered to each query's top-k in row order. Its buffers are its own, so scans run in parallel.
/// </summary>
internal sealed class KnnScan
{
    private const int QueryTileBytes = 512 * 1024;
    private const int RowTileBytes = 128 * 1024;

    private readonly KnnIndex _index;
    private readonly int _k;
    private readonly int _queryTile;
    private readonly int _rowTile;
    private readonly float[] _values;
    private readonly float[] _queryNorms;
    private readonly int[] _counts;

    /// <summary>γ of the distance bound (see <see cref="Skips"/>): (dimension/8 + 16)·2⁻²⁴.</summary>
    private readonly double _rounding;

    public KnnScan(KnnIndex index, int k, int queries)
    {
        _index = index;
        _k = k;
        _queryTile = Math.Min(QueryTile(index.Dimension), queries);
        _rowTile = RowTile(index.Dimension);
        _values = new float[(_queryTile * _rowTile) + 8]; // + 8: a vector compare may start anywhere in the last line
        _queryNorms = new float[_queryTile];
        _counts = new int[_queryTile];
        _rounding = ((index.Dimension / 8) + 16) * Math.ScaleB(1.0, -24);
    }

    /// <summary>The (query, row) pairs computed so far: fewer than queries × rows when an L2 scan skipped rows.</summary>
    public long Pairs { get; private set; }

    /// <summary>Queries per tile: a multiple of 4 whose vectors fill about 512 KiB (with a row tile, within a 1 MiB L2).</summary>
    public static int QueryTile(int dimension) => Math.Clamp(QueryTileBytes / (dimension * sizeof(float)) & ~3, 4, 256);

    /// <summary>Rows per tile: a multiple of 24 (whole 4 × 3 blocks, whole 8-float distance vectors) whose vectors fill about 128 KiB.</summary>
    public static int RowTile(int dimension) => Math.Clamp(RowTileBytes / (dimension * sizeof(float)) / 24 * 24, 24, 240);

    /// <summary>
    /// The top-k of each query among the rows at places [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of the index's
    /// scan order, into results[q*k..q*k+k). An L2 scan of every row skips by norm (<see cref="ScanByNorm"/>); the neighbours
    /// are the same.
    /// </summary>
    public void Run(ReadOnlySpan<float> queries, Span<Neighbor> results, int rowStart, int rowEnd)
    {
        results.Fill(NeighborList.Empty);
        var dimension = _index.Dimension;
        var count = queries.Length / dimension;
        var byNorm = _index.Distance == KnnDistance.L2 && rowStart == 0 && rowEnd == _index.Count;
        for (var q0 = 0; q0 < count; q0 += _queryTile)
        {
            var tile = Math.Min(_queryTile, count - q0);
            var tileQueries = queries.Slice(q0 * dimension, tile * dimension);
            var tileResults = results.Slice(q0 * _k, tile * _k);
            PrepareQueries(tileQueries, tile);
            Array.Clear(_counts);
            if (byNorm)
            {
                ScanByNorm(tileQueries, tile, tileResults);
                continue;
            }

            for (var r0 = rowStart; r0 < rowEnd; r0 += _rowTile)
            {
                Scan(tileQueries, tileResults, 0, tile, r0, Math.Min(_rowTile, rowEnd - r0));
            }
        }
    }

    /// <summary>
    /// An L2 scan that skips pairs which cannot change a list. |x| - |q| ≤ d(q, x), so once a query's list is full a
    /// row whose norm is farther from |q| than the query's k-th distance (plus a bound on the rounding of the computed
    /// distances) cannot enter it. The scan takes the rows in order of norm (the index's scan order), starting
    /// beside the tile's middle query (queries come sorted by norm) and widening the band a row tile at a time upwards
    /// and downwards, each direction stopping at the first row that every query of the tile may skip — and every row
    /// beyond it too, the rows being in order of norm. Within the band each block of 4 queries (the kernel's height)
    /// computes a row tile only when one of its queries may not skip the whole tile. The pairs computed are computed
    /// exactly as in a full scan.
    /// </summary>
    private void ScanByNorm(ReadOnlySpan<float> queries, int tile, Span<Neighbor> results)
    {
        var count = _index.Count;
        var above = LowerBound(_index.Norms, count, _queryNorms[tile / 2]);
        var below = above;
        var upwards = above < count;
        var downwards = below > 0;
        while (upwards || downwards)
        {
            if (upwards)
            {
                var limit = Math.Min(above + _rowTile, count);
                var end = FirstSkippedAbove(above, limit, tile, results);
                ScanOrdered(queries, tile, results, above, end);
                upwards = end == limit && limit < count;
                above = end;
            }

            if (downwards)
            {
                var limit = Math.Max(below - _rowTile, 0);
                var start = FirstKeptBelow(limit, below, tile, results);
                ScanOrdered(queries, tile, results, start, below);
                downwards = start == limit && limit > 0;
                below = start;
            }
        }
    }

    /// <summary>
    /// The rows at places [<paramref name="from"/>, <paramref name="to"/>) of the norm order, scanned by every run of 4-query
    /// blocks that has a query which may not skip them all.
    /// </summary>
    private void ScanOrdered(ReadOnlySpan<float> queries, int tile, Span<Neighbor> results, int from, int to)
    {
        var rows = to - from;
        if (rows == 0)
        {
            return;
        }

        var (lowest, highest) = (_index.Norms[from], _index.Norms[to - 1]);
        var run = -1;
        for (var q0 = 0; q0 < tile + 4; q0 += 4)
        {
            var needed = false;
            for (var q = q0; q < Math.Min(q0 + 4, tile) && !needed; q++)
            {
                needed = !Skips(q, lowest, above: true, results) && !Skips(q, highest, above: false, results);
            }

            if (needed && run < 0)
            {
                run = q0;
            }
            else if (!needed && run >= 0)
            {
                Scan(queries, results, run, Math.Min(q0, tile) - run, from, rows);
                run = -1;
            }
        }
    }

    /// <summary>
    /// The pairs of queries [<paramref name="q0"/>, +<paramref name="queryCount"/>) of the tile and the <paramref name="rows"/> rows
    /// from place <paramref name="from"/> of the scan order, offered to the queries' lists.
    /// </summary>
    private void Scan(ReadOnlySpan<float> queries, Span<Neighbor> results, int q0, int queryCount, int from, int rows)
    {
        ref var rowVectors = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_index.Vectors), (nint)from * _index.Dimension);
        ref var rowNorms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_index.Norms), from);
        ReadOnlySpan<int> rowIndexes = _index.Rows.Length == 0 ? [] : _index.Rows.AsSpan(from, rows);
        Pairs += (long)queryCount * rows;
        ref var first = ref MemoryMarshal.GetReference(queries[(q0 * _index.Dimension)..]);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
        if (_index.Distance == KnnDistance.L1)
        {
            PairKernels.Block<AbsoluteDifferenceOp>(ref first, queryCount, ref rowVectors, rows, _index.Dimension, ref values, _rowTile);
        }
        else
        {
            PairKernels.Block<DotOp>(ref first, queryCount, ref rowVectors, rows, _index.Dimension, ref values, _rowTile);
        }

        for (var q = 0; q < queryCount; q++)
        {
            var line = _values.AsSpan(q * _rowTile, _rowTile);
            ToDistances(line, ref rowNorms, rows, _queryNorms[q0 + q]);
            Offer(results.Slice((q0 + q) * _k, _k), ref _counts[q0 + q], line[..rows], from, rowIndexes);
        }
    }

    /// <summary>The first position in [from, to) of the norm order whose row every query of the tile may skip, or <paramref name="to"/>.</summary>
    private int FirstSkippedAbove(int from, int to, int tile, ReadOnlySpan<Neighbor> results)
    {
        while (from < to)
        {
            var middle = (from + to) >>> 1;
            if (Skippable(_index.Norms[middle], above: true, tile, results))
            {
                to = middle;
            }
            else
            {
                from = middle + 1;
            }
        }

        return from;
    }

    /// <summary>The first position in [from, to) of the norm order whose row some query of the tile may not skip, or <paramref name="to"/>.</summary>
    private int FirstKeptBelow(int from, int to, int tile, ReadOnlySpan<Neighbor> results)
    {
        while (from < to)
        {
            var middle = (from + to) >>> 1;
            if (Skippable(_index.Norms[middle], above: false, tile, results))
            {
                from = middle + 1;
            }
            else
            {
                to = middle;
            }
        }

        return from;
    }

    /// <summary>Whether every query of the tile may skip a row of squared norm <paramref name="rowNorm"/> and every row beyond it (above, or below).</summary>
    private bool Skippable(float rowNorm, bool above, int tile, ReadOnlySpan<Neighbor> results)
    {
        for (var q = 0; q < tile; q++)
        {
            if (!Skips(q, rowNorm, above, results))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether query <paramref name="q"/> of the tile may skip a row of squared norm <paramref name="rowNorm"/> above (or below) its own
    /// norm: its list is full and the row's norm differs from the query's by more than the k-th distance. The computed d² differs
    /// from the true one by at most γ(|q|² + |x|² + 2|q||x|) ≤ 2γ(|q|² + |x|²), with γ = (dimension/8 + 13)u for 8-lane fused
    /// accumulation and u = 2⁻²⁴ (<see cref="PairKernels"/>); the bound takes twice that, and the norms' own rounding besides.
    /// A row of infinite or NaN norm is at distance ∞ or NaN from every query, never below a full list's k-th.
    /// </summary>
    private bool Skips(int q, float rowNorm, bool above, ReadOnlySpan<Neighbor> results)
    {
        double worst = results[(q * _k) + _k - 1].Distance;
        if (!double.IsFinite(worst))
        {
            return false;
        }

        double x2 = rowNorm;
        if (!double.IsFinite(x2))
        {
            return above;
        }

        double q2 = _queryNorms[q];
        var (query, row) = (Math.Sqrt(q2), Math.Sqrt(x2));
        var error = 4 * _rounding * (q2 + x2);
        var margin = Math.Min(Math.Sqrt(error), error / (2 * worst)) + (_rounding * (query + row)) + (worst * 1e-6);
        return (above ? row - query : query - row) > worst + margin;
    }

    private static int LowerBound(float[] sorted, int count, float value)
    {
        var (from, to) = (0, count);
        while (from < to)
        {
            var middle = (from + to) >>> 1;
            if (sorted[middle] < value)
            {
                from = middle + 1;
            }
            else
            {
                to = middle;
            }
        }

        return from;
    }

    private void PrepareQueries(ReadOnlySpan<float> queries, int tile)
    {
        var dimension = _index.Dimension;
        for (var q = 0; q < tile; q++)
        {
            var query = queries.Slice(q * dimension, dimension);
            _queryNorms[q] = _index.Distance switch
            {
                KnnDistance.L2 => PairKernels.Dot(query, query),
                KnnDistance.Cosine => KnnIndex.InverseNorm(PairKernels.Dot(query, query)),
                _ => 0,
            };
        }
    }

    /// <summary>
    /// Raw pair values to distances, lane by lane (the same IEEE operations for every pair):
    /// L2 sqrt(max((|q|² + |x|²) - (dot + dot), 0)); cosine max(1 - ((dot · 1/|q|) · 1/|x|), 0); L1 as is.
    /// Works on whole 8-float chunks; the line and the norms are padded for that.
    /// </summary>
    private void ToDistances(Span<float> line, ref float norms, int rows, float queryNorm)
    {
        if (_index.Distance == KnnDistance.L1)
        {
            return;
        }

        ref var values = ref MemoryMarshal.GetReference(line);
        var query = Vector256.Create(queryNorm);
        var padded = (nuint)((rows + 7) & ~7);
        if (_index.Distance == KnnDistance.L2)
        {
            for (nuint j = 0; j < padded; j += 8)
            {
                var dot = Vector256.LoadUnsafe(ref values, j);
                var squared = (query + Vector256.LoadUnsafe(ref norms, j)) - (dot + dot);
                Vector256.Sqrt(Vector256.Max(squared, Vector256<float>.Zero)).StoreUnsafe(ref values, j);
            }
        }
        else
        {
            for (nuint j = 0; j < padded; j += 8)
            {
                var similarity = Vector256.LoadUnsafe(ref values, j) * query * Vector256.LoadUnsafe(ref norms, j);
                Vector256.Max(Vector256<float>.One - similarity, Vector256<float>.Zero).StoreUnsafe(ref values, j);
            }
        }
    }

    /// <summary>
    /// Offers a tile's distances to a query's top-k: of rows <paramref name="firstRow"/>.. in order, or of <paramref name="rowIndexes"/>
    /// when given. Once the list is full only distances below the current k-th can enter (in row order a later row never wins
    /// a tie; in any other order a tie goes to <see cref="NeighborList.Insert"/>), found eight at a time by a vector compare.
    /// </summary>
    private void Offer(Span<Neighbor> list, ref int count, ReadOnlySpan<float> distances, int firstRow, ReadOnlySpan<int> rowIndexes)
    {
        var j = 0;
        for (; count < _k && j < distances.Length; j++)
        {
            NeighborList.Insert(list, ref count, distances[j], rowIndexes.IsEmpty ? firstRow + j : rowIndexes[j]);
        }

        ref var values = ref MemoryMarshal.GetReference(distances);
        var worst = Vector256.Create(list[^1].Distance);
        var ties = !rowIndexes.IsEmpty;
        for (; j < distances.Length; j += 8)
        {
            var chunk = Vector256.LoadUnsafe(ref values, (nuint)j);
            var below = (ties ? Vector256.LessThanOrEqual(chunk, worst) : Vector256.LessThan(chunk, worst)).ExtractMostSignificantBits();
            if (distances.Length - j < 8)
            {
                below &= (1u << (distances.Length - j)) - 1;
            }

            while (below != 0)
            {
                var at = j + BitOperations.TrailingZeroCount(below);
                NeighborList.Insert(list, ref count, Unsafe.Add(ref values, at), ties ? rowIndexes[at] : firstRow + at);
                below &= below - 1;
                worst = Vector256.Create(list[^1].Distance);
            }
        }
    }
}
