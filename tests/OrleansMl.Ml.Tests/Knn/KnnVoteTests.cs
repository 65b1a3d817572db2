using OrleansMl.Ml.Knn;

namespace OrleansMl.Ml.Tests.Knn;

public sealed class KnnVoteTests
{
    private static Neighbor[] At(params float[] distances) => [.. distances.Select((d, i) => new Neighbor(d, i))];

    [Fact]
    public void UniformVoteTakesTheMostCommonLabel()
    {
        var scores = new float[4];

        Assert.Equal(3, KnnVote.Vote(At(1, 2, 3, 4, 5), [3, 1, 3, 2, 3], distanceWeighted: false, scores));
        Assert.Equal([0f, 0.2f, 0.2f, 0.6f], scores);
    }

    [Fact]
    public void UniformTieGoesToTheSmallerLabel()
    {
        var scores = new float[4];

        Assert.Equal(1, KnnVote.Vote(At(1, 2, 3, 4, 5), [2, 1, 1, 2, 3], distanceWeighted: false, scores));
        Assert.Equal([0f, 0.4f, 0.4f, 0.2f], scores);
        Assert.Equal(1, KnnVote.Vote(At(1, 2, 3, 4, 5), [2, 1, 1, 2, 3], distanceWeighted: false));
    }

    [Fact]
    public void WeightedVoteFavoursNearNeighbours()
    {
        // Weights 1/d: 2 + 0.25 for label 7 against 1 + 1 for label 3, which a uniform vote would tie (and give to 3).
        var neighbors = At(0.5f, 1, 1, 4);
        long[] labels = [7, 3, 3, 7];
        var scores = new float[8];

        Assert.Equal(7, KnnVote.Vote(neighbors, labels, distanceWeighted: true, scores));
        Assert.Equal(2.25 / 4.25, scores[7], 6);
        Assert.Equal(2 / 4.25, scores[3], 6);
        Assert.Equal(3, KnnVote.Vote(neighbors, labels, distanceWeighted: false));
    }

    [Fact]
    public void WeightedTieGoesToTheSmallerLabel()
    {
        Assert.Equal(4, KnnVote.Vote(At(2, 2), [5, 4], distanceWeighted: true));
    }

    [Fact]
    public void ANeighbourAtDistanceZeroDominatesTheWeightedVote()
    {
        Assert.Equal(9, KnnVote.Vote(At(0, 0.1f, 0.1f), [9, 1, 1], distanceWeighted: true));
    }

    [Fact]
    public void PaddingDoesNotVote()
    {
        Neighbor[] neighbors = [new(1, 0), new(float.PositiveInfinity, -1), new(float.PositiveInfinity, -1)];
        var scores = new float[3];

        Assert.Equal(2, KnnVote.Vote(neighbors, [2, 0, 0], distanceWeighted: false, scores));
        Assert.Equal([0f, 0f, 1f], scores);
        Assert.Equal(-1, KnnVote.Vote(neighbors[1..], [0, 0], distanceWeighted: false, scores));
        Assert.Equal([0f, 0f, 0f], scores);
    }

    [Fact]
    public void VoteAllUsesTheLabelsOfTheIndexRows()
    {
        long[] rowLabels = [0, 1, 1, 2, 0];
        Neighbor[] result = [new(1, 1), new(2, 2), new(3, 0), new(1, 4), new(2, 3), new(3, 0)];
        var predicted = new long[2];
        var scores = new float[2 * 3];

        KnnVote.VoteAll(result, 3, rowLabels, distanceWeighted: false, predicted, scores, 3);

        Assert.Equal([1L, 0L], predicted);
        Assert.Equal(2f / 3, scores[1], 6);
        Assert.Equal(2f / 3, scores[3], 6);
    }

    [Fact]
    public void ALabelOutsideTheScoresIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KnnVote.Vote(At(1), [3], distanceWeighted: false, new float[3]));
        Assert.Throws<ArgumentException>(() => KnnVote.Vote(At(1, 2), [3], distanceWeighted: false));
    }
}
