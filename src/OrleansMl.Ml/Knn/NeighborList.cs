namespace OrleansMl.Ml.Knn;

/// <summary>
/// A query's top-k kept as a sorted array: ascending by (distance, index), unfilled places
/// (<see cref="float.PositiveInfinity"/>, -1) at the end. k is small, so insertion by shifting beats a heap.
/// </summary>
internal static class NeighborList
{
    public static readonly Neighbor Empty = new(float.PositiveInfinity, -1);

    /// <summary>Whether <paramref name="a"/> ranks before <paramref name="b"/>: the smaller distance, then the lower index.</summary>
    public static bool Precedes(Neighbor a, Neighbor b) => a.Distance < b.Distance || (a.Distance == b.Distance && a.Index < b.Index);

    /// <summary>Puts a candidate in its place among the <paramref name="count"/> kept, dropping the last when the list is full. NaN distances are never kept.</summary>
    public static void Insert(Span<Neighbor> list, ref int count, float distance, int index)
    {
        if (float.IsNaN(distance))
        {
            return;
        }

        var candidate = new Neighbor(distance, index);
        int at;
        if (count < list.Length)
        {
            at = count++;
        }
        else if (Precedes(candidate, list[^1]))
        {
            at = list.Length - 1;
        }
        else
        {
            return;
        }

        while (at > 0 && Precedes(candidate, list[at - 1]))
        {
            list[at] = list[at - 1];
            at--;
        }

        list[at] = candidate;
    }

    /// <summary>
    /// Merges sorted lists of one query (<paramref name="parts"/>[p][<paramref name="offset"/>..+k)) into
    /// <paramref name="output"/> by (distance, index); a row is in at most one part.
    /// </summary>
    public static void Merge(Neighbor[][] parts, int offset, Span<Neighbor> output)
    {
        Span<int> cursors = stackalloc int[parts.Length];
        for (var taken = 0; taken < output.Length; taken++)
        {
            var best = -1;
            for (var p = 0; p < parts.Length; p++)
            {
                if (cursors[p] < output.Length)
                {
                    var candidate = parts[p][offset + cursors[p]];
                    if (candidate.Index >= 0 && (best < 0 || Precedes(candidate, parts[best][offset + cursors[best]])))
                    {
                        best = p;
                    }
                }
            }

            if (best < 0)
            {
                output[taken..].Fill(Empty);
                return;
            }

            output[taken] = parts[best][offset + cursors[best]++];
        }
    }
}
