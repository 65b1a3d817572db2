namespace OrleansMl.Ml.Knn;

/// <summary>
/// Majority votes of neighbours' labels: one vote each, or (distance-weighted) 1 / (distance + 1e-9)
/// each, summed in double in neighbour order. Ties go to the smaller label. Padding neighbours
/// (index -1) do not vote.
/// </summary>
public static class KnnVote
{
    private const double WeightEpsilon = 1e-9;
    private const int StackLimit = 64;

    /// <summary>The winning label; <paramref name="labels"/>[i] is the label of <paramref name="neighbors"/>[i]. -1 when no neighbour votes.</summary>
    public static long Vote(ReadOnlySpan<Neighbor> neighbors, ReadOnlySpan<long> labels, bool distanceWeighted)
    {
        var size = Size(neighbors, labels);
        Span<long> seen = size <= StackLimit ? stackalloc long[size] : new long[size];
        Span<double> totals = size <= StackLimit ? stackalloc double[size] : new double[size];
        var distinct = Tally(neighbors, labels, distanceWeighted, seen, totals);
        return Winner(seen[..distinct], totals[..distinct], out _);
    }

    /// <summary>
    /// The winning label, with each class's share of the votes in <paramref name="scores"/> (summing to 1; all 0 when no
    /// neighbour votes, and then -1 is returned). Labels are class numbers in [0, scores.Length).
    /// </summary>
    public static long Vote(ReadOnlySpan<Neighbor> neighbors, ReadOnlySpan<long> labels, bool distanceWeighted, Span<float> scores)
    {
        var size = Size(neighbors, labels);
        Span<long> seen = size <= StackLimit ? stackalloc long[size] : new long[size];
        Span<double> totals = size <= StackLimit ? stackalloc double[size] : new double[size];
        var distinct = Tally(neighbors, labels, distanceWeighted, seen, totals);
        var winner = Winner(seen[..distinct], totals[..distinct], out var sum);
        scores.Clear();
        for (var i = 0; i < distinct; i++)
        {
            if ((ulong)seen[i] >= (ulong)scores.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), seen[i], $"A neighbour's label is outside the {scores.Length} classes [0, {scores.Length}).");
            }

            scores[(int)seen[i]] = (float)(sum > 0 ? totals[i] / sum : 1.0 / distinct);
        }

        return winner;
    }

    /// <summary>
    /// Votes for every query of a <see cref="KnnIndex.Search"/> result (<paramref name="k"/> neighbours a query);
    /// <paramref name="rowLabels"/> are the labels of the index's rows (by <see cref="Neighbor.Index"/>).
    /// <paramref name="scores"/> is empty, or <paramref name="classes"/> floats a query.
    /// </summary>
    public static void VoteAll(ReadOnlySpan<Neighbor> neighbors, int k, ReadOnlySpan<long> rowLabels, bool distanceWeighted, Span<long> predicted, Span<float> scores = default, int classes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var count = neighbors.Length / k;
        if (predicted.Length < count || (!scores.IsEmpty && scores.Length < (long)count * classes))
        {
            throw new ArgumentException($"{count} queries need {count} predictions and, with scores, {(long)count * classes} scores.");
        }

        Span<long> labels = k <= StackLimit ? stackalloc long[k] : new long[k];
        for (var q = 0; q < count; q++)
        {
            var votes = neighbors.Slice(q * k, k);
            for (var i = 0; i < k; i++)
            {
                labels[i] = votes[i].Index >= 0 ? rowLabels[votes[i].Index] : -1;
            }

            predicted[q] = scores.IsEmpty
                ? Vote(votes, labels, distanceWeighted)
                : Vote(votes, labels, distanceWeighted, scores.Slice(q * classes, classes));
        }
    }

    private static int Size(ReadOnlySpan<Neighbor> neighbors, ReadOnlySpan<long> labels) => labels.Length >= neighbors.Length
        ? neighbors.Length
        : throw new ArgumentException($"{neighbors.Length} neighbours need as many labels, not {labels.Length}.", nameof(labels));

    private static int Tally(ReadOnlySpan<Neighbor> neighbors, ReadOnlySpan<long> labels, bool distanceWeighted, Span<long> seen, Span<double> totals)
    {
        var distinct = 0;
        for (var i = 0; i < seen.Length; i++)
        {
            if (neighbors[i].Index < 0)
            {
                continue;
            }

            var weight = distanceWeighted ? 1.0 / (neighbors[i].Distance + WeightEpsilon) : 1.0;
            var at = seen[..distinct].IndexOf(labels[i]);
            if (at < 0)
            {
                at = distinct++;
                seen[at] = labels[i];
                totals[at] = 0;
            }

            totals[at] += weight;
        }

        return distinct;
    }

    private static long Winner(ReadOnlySpan<long> seen, ReadOnlySpan<double> totals, out double sum)
    {
        var winner = -1L;
        var best = double.NegativeInfinity;
        sum = 0;
        for (var i = 0; i < seen.Length; i++)
        {
            sum += totals[i];
            if (totals[i] > best || (totals[i] == best && seen[i] < winner))
            {
                winner = seen[i];
                best = totals[i];
            }
        }

        return winner;
    }
}
