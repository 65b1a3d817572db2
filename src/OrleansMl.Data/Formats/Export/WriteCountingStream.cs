using System.Buffers;

namespace OrleansMl.Data.Formats.Export;

/// <summary>
/// A forward-only writable stream over one that cannot seek, which knows its position by counting
/// what was written: Parquet writers read <see cref="Position"/> to record where each column chunk
/// starts. Synchronous writes (a Parquet footer) are held and sent by the next asynchronous write or
/// <see cref="FlushAsync(CancellationToken)"/>, since an HTTP response allows only asynchronous I/O.
/// </summary>
internal sealed class WriteCountingStream(Stream inner) : Stream
{
    private readonly ArrayBufferWriter<byte> _held = new();
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException("The export stream only goes forward.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _held.Write(buffer);
        _written += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendHeldAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Nothing: held bytes go out with <see cref="FlushAsync(CancellationToken)"/>.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendHeldAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task SendHeldAsync(CancellationToken cancellationToken)
    {
        if (_held.WrittenCount > 0)
        {
            await inner.WriteAsync(_held.WrittenMemory, cancellationToken);
            _held.ResetWrittenCount();
        }
    }
}
