using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OrleansMl.Storage.Artifacts;
using Polly;

namespace OrleansMl.Storage.AzureBlob;

/// <summary>
/// Reads a blob forwards in ranges of one block each, every range through the resilience pipeline
/// and pinned to the ETag seen when the stream was opened: a transient failure retries one range,
/// and a concurrent overwrite fails the read instead of mixing two versions.
/// </summary>
internal sealed class BlobRangeReadStream(BlobClient blob, ResiliencePipeline pipeline, ETag etag, long length, int rangeSize, string path) : Stream
{
    private readonly byte[] _range = new byte[Math.Min(rangeSize, Math.Max(length, 1))];
    private long _rangeStart;
    private int _rangeLength;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        if (_position >= _rangeStart + _rangeLength)
        {
            await FillRangeAsync(_position, cancellationToken).ConfigureAwait(false);
        }

        var offsetInRange = (int)(_position - _rangeStart);
        var count = Math.Min(buffer.Length, _rangeLength - offsetInRange);
        _range.AsMemory(offsetInRange, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    private async Task FillRangeAsync(long start, CancellationToken cancellationToken)
    {
        var size = (int)Math.Min(_range.Length, length - start);
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    var options = new BlobDownloadOptions
                    {
                        Range = new HttpRange(start, size),
                        Conditions = new BlobRequestConditions { IfMatch = etag },
                    };
                    using var download = (await blob.DownloadStreamingAsync(options, ct).ConfigureAwait(false)).Value;
                    await download.Content.ReadExactlyAsync(_range.AsMemory(0, size), ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            throw new IOException($"The artifact '{path}' was changed or deleted while it was being read.", e);
        }

        _rangeStart = start;
        _rangeLength = size;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
