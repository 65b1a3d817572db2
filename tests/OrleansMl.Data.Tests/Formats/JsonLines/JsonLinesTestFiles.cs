using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.JsonLines;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.JsonLines;

/// <summary>Opens in-memory JSON lines as a forward-only upload and reads them whole.</summary>
internal static class JsonLinesTestFiles
{
    public const string Source = "test.jsonl";

    public static JsonLinesDatasetReader Open(string text, JsonLinesOptions? options = null, Action<BadRecord>? onBad = null) =>
        Open(Encoding.UTF8.GetBytes(text), options, onBad);

    public static JsonLinesDatasetReader Open(byte[] bytes, JsonLinesOptions? options = null, Action<BadRecord>? onBad = null, int? chunkBytes = null) =>
        new(chunkBytes is { } chunk ? new ChunkedStream(bytes, chunk) : new NonSeekableStream(new MemoryStream(bytes)), Source, options, onBad);

    public static ColumnBatch ReadAll(JsonLinesDatasetReader reader, int batchRows = 1000)
    {
        var batches = new List<ColumnBatch>();
        while (reader.ReadBatch(batchRows) is { } batch)
        {
            batches.Add(batch);
        }

        return ColumnBatch.Concat(reader.Schema, batches);
    }

    /// <summary>A forward-only stream that returns at most a few bytes per read, so lines straddle every read.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunkBytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = Math.Min(Math.Min(count, chunkBytes), bytes.Length - _position);
            bytes.AsSpan(_position, read).CopyTo(buffer.AsSpan(offset));
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
