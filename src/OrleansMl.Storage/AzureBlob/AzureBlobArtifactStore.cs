using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansMl.Storage.Artifacts;
using Polly;

namespace OrleansMl.Storage.AzureBlob;

/// <summary>
/// Artifacts as block blobs in one container. Every call runs through a resilience pipeline.
/// A write sends its content as blocks (each retried alone from a pooled buffer, so a
/// non-seekable source stream is read once) and commits the block list under the write's
/// condition. Each write carries a unique id in the blob's metadata: when a commit is retried
/// after its response was lost, the condition may fail against the write's own earlier success,
/// and the id tells that case apart from a real conflict, so every write lands exactly once.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    internal const string WriteIdMetadataKey = "orleansmlwriteid";
    private readonly BlobContainerClient _container;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _blockSize;
    private Task? _containerReady;

    /// <param name="blockSize">Bytes per block sent in one request, and per ranged read.</param>
    public AzureBlobArtifactStore(BlobContainerClient container, ResiliencePipeline pipeline, int blockSize = 4 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1024);
        _container = container;
        _pipeline = pipeline;
        _blockSize = blockSize;
    }

    public async Task<ArtifactInfo> WriteAsync(string path, Stream content, ArtifactWriteCondition condition = default, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlockBlobClient(ArtifactPath.Validate(path));
        await EnsureContainerAsync().ConfigureAwait(false);
        var writeId = Guid.NewGuid().ToString("N");
        var options = new CommitBlockListOptions
        {
            Metadata = new Dictionary<string, string> { [WriteIdMetadataKey] = writeId },
            Conditions = ConditionsFor(condition),
        };
        var (blockIds, length) = await StageBlocksAsync(blob, writeId, content, cancellationToken).ConfigureAwait(false);
        var attempts = 0;
        try
        {
            var committed = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    return (await blob.CommitBlockListAsync(blockIds, options, ct).ConfigureAwait(false)).Value;
                },
                cancellationToken).ConfigureAwait(false);
            return new ArtifactInfo(path, length, committed.ETag.ToString(), committed.LastModified);
        }
        catch (RequestFailedException e) when (IsConditionFailure(e))
        {
            if (attempts > 1 && await GetInfoIfWrittenByAsync(blob, path, writeId, cancellationToken).ConfigureAwait(false) is { } ours)
            {
                return ours;
            }

            throw new ArtifactConditionFailedException(path, condition, e);
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient(ArtifactPath.Validate(path));
        var properties = await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false)
            ?? throw new ArtifactNotFoundException(path);
        return new BlobRangeReadStream(blob, _pipeline, properties.ETag, properties.ContentLength, _blockSize, path);
    }

    public async Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient(ArtifactPath.Validate(path));
        var properties = await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false);
        return properties is null ? null : new ArtifactInfo(path, properties.ContentLength, properties.ETag.ToString(), properties.LastModified);
    }

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactPath.ValidatePrefix(prefix);
        await EnsureContainerAsync().ConfigureAwait(false);
        string? continuation = null;
        do
        {
            var page = await _pipeline.ExecuteAsync(
                async (token, ct) =>
                {
                    var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix }, ct).AsPages(token, 5000);
                    await foreach (var p in pages.WithCancellation(ct).ConfigureAwait(false))
                    {
                        return p;
                    }

                    return null;
                },
                continuation,
                cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (var item in page.Values)
            {
                yield return new ArtifactInfo(item.Name, item.Properties.ContentLength ?? 0, item.Properties.ETag?.ToString() ?? "", item.Properties.LastModified ?? default);
            }

            continuation = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (continuation is not null);
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient(ArtifactPath.Validate(path));
        await EnsureContainerAsync().ConfigureAwait(false);
        // A retried delete whose first attempt succeeded reports false; the artifact is gone either way.
        return await _pipeline.ExecuteAsync(
            async ct => (await blob.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false)).Value,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<(List<string> BlockIds, long Length)> StageBlocksAsync(BlockBlobClient blob, string writeId, Stream content, CancellationToken cancellationToken)
    {
        var blockIds = new List<string>();
        var length = 0L;
        var buffer = ArrayPool<byte>.Shared.Rent(_blockSize);
        try
        {
            while (true)
            {
                var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, _blockSize), _blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (filled == 0 && blockIds.Count > 0)
                {
                    return (blockIds, length);
                }

                var blockId = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{writeId}-{blockIds.Count:d8}"));
                await _pipeline.ExecuteAsync(
                    async ct =>
                    {
                        using var block = new MemoryStream(buffer, 0, filled, writable: false);
                        await blob.StageBlockAsync(blockId, block, cancellationToken: ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                blockIds.Add(blockId);
                length += filled;
                if (filled < _blockSize)
                {
                    return (blockIds, length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<ArtifactInfo?> GetInfoIfWrittenByAsync(BlockBlobClient blob, string path, string writeId, CancellationToken cancellationToken)
    {
        var properties = await GetPropertiesAsync(blob, cancellationToken).ConfigureAwait(false);
        return properties is not null && properties.Metadata.TryGetValue(WriteIdMetadataKey, out var id) && id == writeId
            ? new ArtifactInfo(path, properties.ContentLength, properties.ETag.ToString(), properties.LastModified)
            : null;
    }

    private async Task<BlobProperties?> GetPropertiesAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync().ConfigureAwait(false);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ct => (await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the container on first use; a failed attempt is tried again by the next call.</summary>
    private Task EnsureContainerAsync()
    {
        var ready = Volatile.Read(ref _containerReady);
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = _pipeline.ExecuteAsync(async ct => await _container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false)).AsTask();
            Volatile.Write(ref _containerReady, ready);
        }

        return ready;
    }

    private static BlobRequestConditions? ConditionsFor(ArtifactWriteCondition condition) =>
        condition.IfNotExists ? new BlobRequestConditions { IfNoneMatch = ETag.All }
        : condition.IfMatchETag is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) }
        : null;

    private static bool IsConditionFailure(RequestFailedException e) =>
        e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict
        || (e.Status == (int)HttpStatusCode.NotFound && e.ErrorCode == "BlobNotFound");
}
