using System.Buffers;
using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST: an images file (magic 0x00000803: count, rows,
/// columns, then one unsigned byte per pixel) and, optionally, its labels file (magic 0x00000801).
/// Either file may be gzip-compressed, recognised by its first two bytes (1F 8B), not its name;
/// sources may be non-seekable. Rows have a <c>label</c> (int64; only when a labels file is given)
/// and <c>pixels</c>, a vector of rows * columns raw values 0..255 (normalising is a transform's job).
/// The reader owns both streams and disposes them.
/// </summary>
public sealed class IdxDatasetReader : IDatasetReader
{
    /// <summary>The label column, present when a labels file is given.</summary>
    public const string LabelColumn = "label";

    /// <summary>The pixel vector column.</summary>
    public const string PixelsColumn = "pixels";

    private readonly IdxFile _images;
    private readonly IdxFile? _labels;
    private const int MaxBatchValues = 16 << 20;
    private readonly byte[] _buffer;
    private long _next;
    private bool _disposed;

    /// <summary>Opens the files and checks their headers.</summary>
    /// <param name="images">The images file, plain or gzip.</param>
    /// <param name="labels">The labels file, plain or gzip, or null for unlabelled images.</param>
    /// <param name="sourceName">The name of the images file in error messages.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <exception cref="DataFormatException">A header is malformed, or the files hold different numbers of records.</exception>
    public IdxDatasetReader(Stream images, Stream? labels, string sourceName, IdxReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= new IdxReaderOptions();
        IdxFile? imageFile = null;
        IdxFile? labelFile = null;
        try
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
            options.Validate();
            imageFile = IdxFile.Open(images, sourceName, "image", dimensions: 3);
            if (labels is not null)
            {
                labelFile = IdxFile.Open(labels, options.LabelsSourceName ?? $"{sourceName} (labels)", "label", dimensions: 1);
                if (labelFile.Count != imageFile.Count)
                {
                    throw new DataFormatException(
                        labelFile.SourceName,
                        $"the labels file holds {labelFile.Count} labels but the images file '{sourceName}' holds {imageFile.Count} images; they must match one to one.");
                }
            }
        }
        catch
        {
            imageFile?.Dispose();
            labelFile?.Dispose();
            images.Dispose();
            labels?.Dispose();
            throw;
        }

        _images = imageFile;
        _labels = labelFile;
        ImageHeight = _images.RecordShape[0];
        ImageWidth = _images.RecordShape[1];
        ImageCount = _images.Count;
        _buffer = new byte[Math.Max(_images.RecordSize, options.BufferSize / _images.RecordSize * _images.RecordSize)];
        var pixels = new ColumnSchema(PixelsColumn, ColumnType.Vector, _images.RecordSize);
        Schema = new DatasetSchema(_labels is null ? [pixels] : [new ColumnSchema(LabelColumn, ColumnType.Int64), pixels]);
    }

    public DatasetSchema Schema { get; }

    /// <summary>Image height in pixels (the IDX "rows"), from the header.</summary>
    public int ImageHeight { get; }

    /// <summary>Image width in pixels (the IDX "columns"), from the header.</summary>
    public int ImageWidth { get; }

    /// <summary>The number of images the header declares.</summary>
    public long ImageCount { get; }

    /// <summary>Bytes taken from both sources so far: compressed bytes for gzip files.</summary>
    public long BytesRead => _images.SourceBytesRead + (_labels?.SourceBytesRead ?? 0);

    public long RowsRead => _next;

    /// <summary>Opens an images file and optionally its labels file by path.</summary>
    public static IdxDatasetReader Open(string imagesPath, string? labelsPath = null, IdxReaderOptions? options = null)
    {
        options ??= new IdxReaderOptions();
        var images = OpenFile(imagesPath);
        Stream? labels = null;
        try
        {
            labels = labelsPath is null ? null : OpenFile(labelsPath);
        }
        catch
        {
            images.Dispose();
            throw;
        }

        return new IdxDatasetReader(
            images,
            labels,
            imagesPath,
            new IdxReaderOptions { BufferSize = options.BufferSize, LabelsSourceName = options.LabelsSourceName ?? labelsPath });
    }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var recordSize = _images.RecordSize;
        // At most 16M values (64 MiB of floats) a batch, whatever maxRows asks: memory follows the rows read, not what a header declares.
        var rows = (int)Math.Min(Math.Min(maxRows, ImageCount - _next), Math.Max(1, MaxBatchValues / recordSize));
        if (rows <= 0)
        {
            return null;
        }

        var pixels = new float[rows * recordSize];
        var recordsPerBlock = _buffer.Length / recordSize;
        for (var done = 0; done < rows;)
        {
            var block = Math.Min(recordsPerBlock, rows - done);
            var bytes = _buffer.AsSpan(0, block * recordSize);
            _images.ReadRecords(bytes, _next + done);
            TensorPrimitives.ConvertTruncating<byte, float>(bytes, pixels.AsSpan(done * recordSize));
            done += block;
        }

        var columns = new List<Column>(2);
        if (_labels is not null)
        {
            columns.Add(new Int64Column(Schema[0], ReadLabels(_labels, _next, rows)));
        }

        columns.Add(new VectorColumn(Schema[^1], pixels));
        _next += rows;
        return new ColumnBatch(Schema, columns);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _images.Dispose();
            _labels?.Dispose();
        }
    }

    private static long[] ReadLabels(IdxFile labels, long firstRecord, int rows)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(rows);
        try
        {
            labels.ReadRecords(bytes.AsSpan(0, rows), firstRecord);
            var values = new long[rows];
            TensorPrimitives.ConvertTruncating<byte, long>(bytes.AsSpan(0, rows), values);
            return values;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
