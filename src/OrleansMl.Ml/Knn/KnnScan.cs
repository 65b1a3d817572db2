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

    public KnnScan(KnnIndex index, int k, int queries)
    {
        _index = index;
        _k = k;
        _queryTile = Math.Min(QueryTile(index.Dimension), queries);
        _rowTile = RowTile(index.Dimension);
        _values = new float[(_queryTile * _rowTile) + 8]; // + 8: a vector compare may start anywhere in the last line
        _queryNorms = new float[_queryTile];
        _counts = new int[_queryTile];
    }

    /// <summary>Queries per tile: a multiple of 4 whose vectors fill about 512 KiB (with a row tile, within a 1 MiB L2).</summary>
    public static int QueryTile(int dimension) => Math.Clamp(QueryTileBytes / (dimension * sizeof(float)) & ~3, 4, 256);

    /// <summary>Rows per tile: a multiple of 24 (whole 4 × 3 blocks, whole 8-float distance vectors) whose vectors fill about 128 KiB.</summary>
    public static int RowTile(int dimension) => Math.Clamp(RowTileBytes / (dimension * sizeof(float)) / 24 * 24, 24, 240);

    /// <summary>The top-k of each query among rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>), into results[q*k..q*k+k).</summary>
    public void Run(ReadOnlySpan<float> queries, Span<Neighbor> results, int rowStart, int rowEnd)
    {
        results.Fill(NeighborList.Empty);
        var dimension = _index.Dimension;
        var count = queries.Length / dimension;
        for (var q0 = 0; q0 < count; q0 += _queryTile)
        {
            var tile = Math.Min(_queryTile, count - q0);
            var tileQueries = queries.Slice(q0 * dimension, tile * dimension);
            PrepareQueries(tileQueries, tile);
            Array.Clear(_counts);
            for (var r0 = rowStart; r0 < rowEnd; r0 += _rowTile)
            {
                var rows = Math.Min(_rowTile, rowEnd - r0);
                ref var first = ref MemoryMarshal.GetReference(tileQueries);
                ref var row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_index.Vectors), (nint)r0 * dimension);
                ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
                if (_index.Distance == KnnDistance.L1)
                {
                    PairKernels.Block<AbsoluteDifferenceOp>(ref first, tile, ref row, rows, dimension, ref values, _rowTile);
                }
                else
                {
                    PairKernels.Block<DotOp>(ref first, tile, ref row, rows, dimension, ref values, _rowTile);
                }

                for (var q = 0; q < tile; q++)
                {
                    var line = _values.AsSpan(q * _rowTile, _rowTile);
                    ToDistances(line, r0, rows, _queryNorms[q]);
                    Offer(results.Slice((q0 + q) * _k, _k), ref _counts[q], line[..rows], r0);
                }
            }
        }
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
    private void ToDistances(Span<float> line, int firstRow, int rows, float queryNorm)
    {
        if (_index.Distance == KnnDistance.L1)
        {
            return;
        }

        ref var values = ref MemoryMarshal.GetReference(line);
        ref var norms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_index.Norms), firstRow);
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
    /// Offers a tile's distances (rows from <paramref name="firstRow"/> on, in order) to a query's top-k.
    /// Once the list is full only distances below the current k-th can enter (a later row never wins a tie),
    /// found eight at a time by a vector compare.
    /// </summary>
    private void Offer(Span<Neighbor> list, ref int count, ReadOnlySpan<float> distances, int firstRow)
    {
        var j = 0;
        for (; count < _k && j < distances.Length; j++)
        {
            NeighborList.Insert(list, ref count, distances[j], firstRow + j);
        }

        ref var values = ref MemoryMarshal.GetReference(distances);
        var worst = Vector256.Create(list[^1].Distance);
        for (; j < distances.Length; j += 8)
        {
            var below = Vector256.LessThan(Vector256.LoadUnsafe(ref values, (nuint)j), worst).ExtractMostSignificantBits();
            if (distances.Length - j < 8)
            {
                below &= (1u << (distances.Length - j)) - 1;
            }

            while (below != 0)
            {
                var at = j + BitOperations.TrailingZeroCount(below);
                NeighborList.Insert(list, ref count, Unsafe.Add(ref values, at), firstRow + at);
                below &= below - 1;
                worst = Vector256.Create(list[^1].Distance);
            }
        }
    }
}
