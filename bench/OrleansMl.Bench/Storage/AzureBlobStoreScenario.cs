using Azure.Storage.Blobs;
using OrleansMl.Bench.Measurement;
using OrleansMl.Storage.AzureBlob;
using OrleansMl.Storage.Resilience;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Storage;

/// <summary><see cref="AzureBlobArtifactStore"/> on Azurite against raw <see cref="BlobClient"/> calls on the same Azurite.</summary>
internal static class AzureBlobStoreScenario
{
    public static async Task<BenchResult[]> RunAsync(BenchSettings settings)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("bench");
        await container.CreateIfNotExistsAsync();
        var store = new AzureBlobArtifactStore(container, StorageResiliencePipeline.Create(new StorageResilienceOptions()));
        return await StoreThroughput.MeasureAsync(
            "blob store (Azurite)", new ArtifactStoreIo(store), "BlobClient upload / download", new RawBlobIo(container), settings,
            writeNote: "the store stages 4 MiB blocks one after another, then commits the block list; the reference uses the SDK's default upload",
            readNote: "the store reads 4 MiB ranges one after another, each pinned to the ETag; the reference streams one download");
    }
}
