using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Knn;
using OrleansMl.Ml.Knn;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Knn;

[Collection(DatasetClusterCollection.Name)]
public sealed class DistributedKnnTests(DatasetClusterFixture fixture)
{
    private const int Queries = 300;

    [Theory]
    [InlineData("l2", false)]
    [InlineData("cosine", true)]
    [InlineData("l1", false)]
    public async Task PredictionsAreIdenticalToSingleMachineBruteForce(string distance, bool weighted)
    {
        var (version, name) = await TrainingSetAsync();
        var (queries, truth) = ReadQueries();
        var options = new KnnClassifierOptions("pixels", "label", K: 5, Distance: distance, DistanceWeighted: weighted, QueryBatch: 128);

        var distributed = await new DistributedKnnClassifier(fixture.Grains, name, version, options).PredictAsync(queries, 784);

        // The same search on one machine: one index over every partition's rows, in partition order.
        var (vectors, labels) = await ReadWholeVersionAsync(name, version);
        var single = new KnnIndex(vectors, 784, KnnDistances.Parse(distance));
        var neighbors = new Neighbor[Queries * 5];
        single.Search(queries, 5, neighbors);
        for (var i = 0; i < neighbors.Length; i++)
        {
            Assert.Equal(neighbors[i].Index, distributed.NeighborRows[i]);
            Assert.Equal(neighbors[i].Distance, distributed.NeighborDistances[i]);
        }

        for (var q = 0; q < Queries; q++)
        {
            var votes = neighbors.AsSpan(q * 5, 5);
            var voteLabels = votes.ToArray().Select(n => labels[n.Index]).ToArray();
            Assert.Equal(KnnVote.Vote(votes, voteLabels, weighted), distributed.Labels[q]);
        }

        var accuracy = distributed.Labels.Zip(truth).Count(p => p.First == p.Second) / (double)Queries;
        Assert.InRange(accuracy, 0.75, 1.0); // k-NN on Fashion-MNIST is about 85% accurate
    }

    [Fact]
    public async Task AMissingOrWrongColumnIsAClearError()
    {
        var (version, name) = await TrainingSetAsync();
        var classifier = new DistributedKnnClassifier(fixture.Grains, name, version, new KnnClassifierOptions("label", "label"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => classifier.PredictAsync(new float[784], 784));
        Assert.Contains("'label' to be a vector column", error.Message, StringComparison.Ordinal);
    }

    private static (float[] Queries, long[] Truth) ReadQueries()
    {
        using var reader = IdxDatasetReader.Open(FashionMnist.PathOf(FashionMnist.TrainImages), FashionMnist.PathOf(FashionMnist.TrainLabels));
        var batch = reader.ReadBatch(Queries)!;
        return (((VectorColumn)batch["pixels"]).Values.ToArray(), ((Int64Column)batch["label"]).Values.ToArray());
    }

    private async Task<(DatasetVersionInfo Version, string Name)> TrainingSetAsync()
    {
        var name = "knn-" + Guid.NewGuid().ToString("N")[..8];
        var (grain, operation) = await fixture.ImportAsync(name, new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
            Options: new ImportOptions(Partitions: 4)));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return ((await grain.GetAsync())!.Versions[0], name);
    }

    private async Task<(float[] Vectors, long[] Labels)> ReadWholeVersionAsync(string name, DatasetVersionInfo version)
    {
        var all = await DatasetFiles.ReadAllAsync(fixture.Store, name, version, CancellationToken.None);
        return (((VectorColumn)all["pixels"]).Values.ToArray(), ((Int64Column)all["label"]).Values.ToArray());
    }
}
