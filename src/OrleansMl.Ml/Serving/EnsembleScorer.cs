using System.Buffers;
using System.Numerics.Tensors;

namespace OrleansMl.Ml.Serving;

/// <summary>
/// An ensemble that averages its members' scores (class probabilities, probabilities of 1 or
/// predictions), as the tree_ensemble trainer evaluates it; the class is the most probable one,
/// or 1 when the mean probability of 1 is over ½.
/// </summary>
public sealed class EnsembleScorer : IScorer
{
    private readonly IScorer[] _members;

    public EnsembleScorer(IReadOnlyList<IScorer> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }

        var first = members[0];
        foreach (var member in members)
        {
            if (member.Dimension != first.Dimension || member.Kind != first.Kind || member.ScoreWidth != first.ScoreWidth)
            {
                throw new ArgumentException(
                    $"Ensemble members differ: {first.Kind} over {first.Dimension} features with {first.ScoreWidth} scores, and {member.Kind} over {member.Dimension} with {member.ScoreWidth}.", nameof(members));
            }
        }

        _members = [.. members];
    }

    public string InputName => _members[0].InputName;

    public int Dimension => _members[0].Dimension;

    public ScorerKind Kind => _members[0].Kind;

    public int ScoreWidth => _members[0].ScoreWidth;

    public void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        var rows = features.Length / Dimension;
        var width = ScoreWidth;
        var total = scores[..(rows * width)];
        var memberScores = ArrayPool<float>.Shared.Rent(total.Length);
        var memberLabels = ArrayPool<long>.Shared.Rent(rows);
        try
        {
            total.Clear();
            foreach (var member in _members)
            {
                member.Score(features, memberLabels.AsSpan(0, rows), memberScores.AsSpan(0, total.Length));
                TensorPrimitives.Add(total, memberScores.AsSpan(0, total.Length), total);
            }

            TensorPrimitives.Multiply(total, 1f / _members.Length, total);
            for (var r = 0; r < rows && Kind != ScorerKind.Regression; r++)
            {
                labels[r] = Kind == ScorerKind.Multiclass ? TensorPrimitives.IndexOfMax(total.Slice(r * width, width)) : total[r] > 0.5f ? 1 : 0;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(memberScores);
            ArrayPool<long>.Shared.Return(memberLabels);
        }
    }

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
    }
}
