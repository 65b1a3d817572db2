using Azure.Storage.Blobs;

namespace OrleansMl.Bench.Storage;

/// <summary>The reference for the blob store: one <see cref="BlobClient.UploadAsync(BinaryData, bool, CancellationToken)"/> and one streaming download, no resilience pipeline.</summary>
internal sealed class RawBlobIo(BlobContainerClient container) : IObjectIo
{
    public Task WriteAsync(string name, byte[] content) =>
        container.GetBlobClient($"raw/{name}").UploadAsync(new BinaryData(content), overwrite: true);

    public async Task<long> ReadAsync(string name, byte[] buffer)
    {
        using var download = (await container.GetBlobClient($"raw/{name}").DownloadStreamingAsync()).Value;
        return await StreamDrain.DrainAsync(download.Content, buffer);
    }
}
