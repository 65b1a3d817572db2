using Microsoft.Extensions.Logging.Abstractions;
using OrleansMl.GrainClient;
using OrleansMl.Serving;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Grains.Tests.Serving;

public sealed class PredictionLogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-predictionlog-").FullName;

    /// <summary>Samples of large requests fill the queue by what they hold, not by how many they are: past <see cref="PredictionLog.MaxQueuedValues"/> they are dropped and counted.</summary>
    [Fact]
    public async Task TheQueueIsBoundedByTheValuesItsRecordsHold()
    {
        var log = new PredictionLog(new FileSystemArtifactStore(_root), TimeProvider.System, NullLogger<PredictionLog>.Instance);
        var rows = 1_000;
        var features = new float[rows * 784]; // one sampled 1,000-image request: 784,000 values
        var served = new Prediction("m", 1, "multiclass", new long[rows], new float[rows * 10], 10);
        var fits = (int)(PredictionLog.MaxQueuedValues / (features.Length + served.Scores.Length));

        for (var i = 0; i < fits + 5; i++)
        {
            log.Add(new PredictionRecord("sample", DateTimeOffset.UtcNow, "e", rows, features, served, null));
        }

        Assert.Equal(5, log.Dropped);
        await log.FlushAsync();
        log.Add(new PredictionRecord("sample", DateTimeOffset.UtcNow, "e", rows, features, served, null)); // written: room again
        Assert.Equal(5, log.Dropped);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
