namespace OrleansMl.Ml.Knn;

/// <summary>
/// Exact k-nearest-neighbour search over rows of float vectors, by brute force done fast: tiles of
/// queries against tiles of rows, sized for the caches, pairs computed by a register-blocked kernel.
/// </summary>
/// <remarks>
/// <para>
/// <b>Determinism.</b> The distance of a (query, row) pair is computed by the same sequence of IEEE
/// operations whichever index holds the row, wherever the row sits in it, whatever the number of rows,
/// the query batch, the tiling or the degree of parallelism (see <see cref="PairKernels"/>: one fixed
/// 8-lane, fixed-order accumulation over the whole vectors, fused multiply-adds, one fixed reduction;
/// norms by the same routine). So a search split over partitions (each partition its own index, the
/// local top-k lists merged by (distance, partition, index)) returns bit for bit the neighbours and
/// distances of one index over all the rows concatenated in partition order.
/// </para>
/// <para>
/// L2 uses d² = (|q|² + |x|²) - 2·q·x, clamped at 0, then the square root; so a row identical to the
/// query is at distance exactly 0, but rows much nearer to each other than their norm lose relative
/// precision (about 1e-7 of |q|² in d²).
/// </para>
/// <para>
/// <b>Skipping (L2).</b> The rows are kept in order of norm and the queries searched in order of norm, so a
/// scan can pass over the rows whose norm alone puts them beyond a query's k-th distance (see
/// <see cref="KnnScan"/>); the pairs it does compute are computed as above, so the neighbours, their
/// distances and the ties (to the lower row) are those of a scan of every pair. <see cref="PairsComputed"/>
/// counts what was computed.
/// </para>
/// <para>An index never changes after construction; any number of searches may run at once.</para>
/// </remarks>
public sealed class KnnIndex
{
    /// <summary>Below this many multiply-adds (queries × rows × dimension) a search stays on the calling thread.</summary>
    private const long MinParallelWork = 1 << 21;

    private long _pairsComputed;

    /// <summary>
    /// Builds the index over <paramref name="vectors"/>, row-major, <paramref name="dimension"/> floats a row. For L1 and cosine
    /// the index keeps the array: do not change it afterwards. For L2 it keeps a copy of the rows in order of norm instead
    /// (the scan skips rows by norm, and reads the rows it does not skip in place).
    /// </summary>
    public KnnIndex(float[] vectors, int dimension, KnnDistance distance)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length % dimension != 0)
        {
            throw new ArgumentException($"The vectors hold {vectors.Length} floats, not a whole number of {dimension}-long rows.", nameof(vectors));
        }

        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown k-NN distance.");
        }

        Dimension = dimension;
        Distance = distance;
        Count = vectors.Length / dimension;

        // Padded by 8 so the distance conversion can run whole vectors past the last row.
        var norms = new float[Count + 8];
        if (distance != KnnDistance.L1)
        {
            for (var r = 0; r < Count; r++)
            {
                var row = vectors.AsSpan(r * dimension, dimension);
                var squared = PairKernels.Dot(row, row);

                // L2: a NaN norm (a row holding NaN, at distance NaN from every query) as +∞, to sort last.
                norms[r] = distance != KnnDistance.L2 ? InverseNorm(squared) : float.IsNaN(squared) ? float.PositiveInfinity : squared;
            }
        }

        if (distance != KnnDistance.L2)
        {
            (Vectors, Norms, Rows) = (vectors, norms, []);
            return;
        }

        Rows = new int[Count];
        for (var r = 0; r < Count; r++)
        {
            Rows[r] = r;
        }

        Array.Sort(norms, Rows, 0, Count);
        Vectors = new float[vectors.Length];
        for (var i = 0; i < Count; i++)
        {
            vectors.AsSpan(Rows[i] * dimension, dimension).CopyTo(Vectors.AsSpan(i * dimension));
        }

        Norms = norms;
    }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>The length of every row and query.</summary>
    public int Dimension { get; }

    public KnnDistance Distance { get; }

    /// <summary>The (query, row) pairs all searches so far have computed: below queries × rows where L2 searches skipped rows.</summary>
    public long PairsComputed => Interlocked.Read(ref _pairsComputed);

    /// <summary>The memory the index holds of its own: for L2 its copy of the rows; for every distance the norms.</summary>
    public long EstimatedBytes => (((Distance == KnnDistance.L2 ? Vectors.LongLength : 0) + Norms.Length + Rows.Length) * sizeof(float)) + 64;

    /// <summary>The rows in scan order, row-major: for L2 in ascending order of |x|² (NaN last), otherwise as given.</summary>
    internal float[] Vectors { get; }

    /// <summary>In scan order: |x|² for L2 (NaN as +∞; ascending), 1/|x| (0 for a zero row) for cosine, zeros for L1; zeros past <see cref="Count"/>.</summary>
    internal float[] Norms { get; }

    /// <summary>L2: the row (as given) at each place of the scan order; empty where the order is the given one.</summary>
    internal int[] Rows { get; }

    /// <summary>
    /// For each query (row-major in <paramref name="queries"/>), writes its <paramref name="k"/> nearest rows, nearest
    /// first, into <c>result[q*k .. q*k+k)</c>. Ties go to the lower row index. When <see cref="Count"/> &lt; k the tail
    /// is (<see cref="float.PositiveInfinity"/>, -1). Distances are true distances: Euclidean for L2, the sum of
    /// absolute differences for L1, 1 - cosine similarity (clamped at 0) for cosine. Rows at a NaN distance are never neighbours.
    /// </summary>
    /// <param name="maxDegreeOfParallelism">Threads to use; the result does not depend on it.</param>
    public void Search(ReadOnlySpan<float> queries, int k, Span<Neighbor> result, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"The queries hold {queries.Length} floats, not a whole number of {Dimension}-long vectors.", nameof(queries));
        }

        var count = queries.Length / Dimension;
        if (result.Length < (long)count * k)
        {
            throw new ArgumentException($"The result holds {result.Length} neighbours; {count} queries × k = {k} need {(long)count * k}.", nameof(result));
        }

        var output = result[..(count * k)];
        if (count == 0)
        {
            return;
        }

        if (Distance == KnnDistance.L2 && count > 1 && Count > 0)
        {
            // In ascending order of norm, a tile of queries spans a narrow band of norms, so its scan skips more rows (see KnnScan).
            var order = QueryOrder(queries, count);
            var ordered = new float[queries.Length];
            for (var i = 0; i < count; i++)
            {
                queries.Slice(order[i] * Dimension, Dimension).CopyTo(ordered.AsSpan(i * Dimension));
            }

            var found = new Neighbor[output.Length];
            Dispatch(ordered, count, k, found, maxDegreeOfParallelism);
            for (var i = 0; i < count; i++)
            {
                found.AsSpan(i * k, k).CopyTo(output.Slice(order[i] * k, k));
            }
        }
        else
        {
            Dispatch(queries, count, k, output, maxDegreeOfParallelism);
        }
    }

    internal static float InverseNorm(float squaredNorm) => squaredNorm > 0 ? 1f / MathF.Sqrt(squaredNorm) : 0f;

    private int[] QueryOrder(ReadOnlySpan<float> queries, int count)
    {
        var norms = new float[count];
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            var query = queries.Slice(i * Dimension, Dimension);
            var squared = PairKernels.Dot(query, query);
            norms[i] = float.IsNaN(squared) ? float.PositiveInfinity : squared;
            order[i] = i;
        }

        Array.Sort(norms, order);
        return order;
    }

    private void Dispatch(ReadOnlySpan<float> queries, int count, int k, Span<Neighbor> output, int degree)
    {
        var queryTile = KnnScan.QueryTile(Dimension);
        if (degree == 1 || (long)count * Count * Dimension < MinParallelWork)
        {
            Run(new KnnScan(this, k, count), queries, output, 0, Count);
        }
        else if (count >= 2L * degree * queryTile)
        {
            SplitQueries(queries.ToArray(), k, output, degree, queryTile);
        }
        else if (Count >= (long)degree * KnnScan.RowTile(Dimension))
        {
            SplitRows(queries.ToArray(), k, output, degree);
        }
        else
        {
            // Few queries and few rows: one smaller tile of queries a thread.
            var tile = (((count + degree - 1) / degree) + 3) & ~3;
            SplitQueries(queries.ToArray(), k, output, degree, tile);
        }
    }

    /// <summary>Many queries: threads take tiles of queries, each against every row.</summary>
    private void SplitQueries(float[] queries, int k, Span<Neighbor> output, int degree, int tile)
    {
        var count = queries.Length / Dimension;
        var results = new Neighbor[output.Length];
        var tiles = (count + tile - 1) / tile;
        Parallel.For(
            0,
            tiles,
            new ParallelOptions { MaxDegreeOfParallelism = degree },
            () => new KnnScan(this, k, tile),
            (t, _, scan) =>
            {
                var first = t * tile;
                var size = Math.Min(tile, count - first);
                scan.Run(queries.AsSpan(first * Dimension, size * Dimension), results.AsSpan(first * k, size * k), 0, Count);
                return scan;
            },
            scan => Interlocked.Add(ref _pairsComputed, scan.Pairs));
        results.CopyTo(output);
    }

    /// <summary>Few queries: threads take contiguous ranges of rows, each for every query; the lists are then merged.</summary>
    private void SplitRows(float[] queries, int k, Span<Neighbor> output, int degree)
    {
        var count = queries.Length / Dimension;
        var parts = new Neighbor[degree][];
        Parallel.For(0, degree, new ParallelOptions { MaxDegreeOfParallelism = degree }, p =>
        {
            parts[p] = new Neighbor[count * k];
            Run(new KnnScan(this, k, count), queries, parts[p], (int)((long)Count * p / degree), (int)((long)Count * (p + 1) / degree));
        });

        for (var q = 0; q < count; q++)
        {
            NeighborList.Merge(parts, q * k, output.Slice(q * k, k));
        }
    }

    private void Run(KnnScan scan, ReadOnlySpan<float> queries, Span<Neighbor> results, int rowStart, int rowEnd)
    {
        scan.Run(queries, results, rowStart, rowEnd);
        Interlocked.Add(ref _pairsComputed, scan.Pairs);
    }
}
