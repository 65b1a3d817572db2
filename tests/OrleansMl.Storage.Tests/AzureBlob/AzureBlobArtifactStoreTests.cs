using Azure.Storage.Blobs;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.AzureBlob;
using OrleansMl.Storage.Resilience;
using OrleansMl.Testing;

namespace OrleansMl.Storage.Tests.AzureBlob;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : Artifacts.ArtifactStoreContractTests
{
    protected override async Task<IArtifactStore> CreateStoreAsync()
    {
        var server = await azurite.GetServerAsync();
        var container = new BlobServiceClient(server.ConnectionString).GetBlobContainerClient("c" + Guid.NewGuid().ToString("N"));
        return new AzureBlobArtifactStore(container, StorageResiliencePipeline.Create(new StorageResilienceOptions()), BlockSize);
    }
}
