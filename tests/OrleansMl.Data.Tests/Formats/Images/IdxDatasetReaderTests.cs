using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Data.Schema;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Images;

public sealed class IdxDatasetReaderTests
{
    private static readonly byte[] FiveLabels = [3, 1, 4, 1, 5];

    [Fact]
    public void ReadsPlainImagesAndLabelsInBatches()
    {
        var images = IdxFiles.Images(5, rows: 3, columns: 2);
        var labels = IdxFiles.Labels(FiveLabels);
        using var reader = new IdxDatasetReader(new MemoryStream(images), new MemoryStream(labels), "images.idx");

        Assert.Equal(
            new DatasetSchema([new ColumnSchema("label", ColumnType.Int64), new ColumnSchema("pixels", ColumnType.Vector, 6)]),
            reader.Schema);
        Assert.Equal((3, 2, 5L), (reader.ImageHeight, reader.ImageWidth, reader.ImageCount));
        var batches = ReadAll(reader, maxRows: 2);

        Assert.Equal([2, 2, 1], batches.Select(b => b.RowCount));
        AssertRows(batches, FiveLabels, recordSize: 6);
        Assert.Equal(5, reader.RowsRead);
        Assert.Equal(images.Length + labels.Length, reader.BytesRead);
    }

    [Fact]
    public void ReadsGzipFilesFromNonSeekableStreams()
    {
        var images = IdxFiles.Gzip(IdxFiles.Images(5, rows: 4, columns: 3));
        var labels = IdxFiles.Gzip(IdxFiles.Labels(FiveLabels));
        using var reader = new IdxDatasetReader(
            new NonSeekableStream(new MemoryStream(images)), new NonSeekableStream(new MemoryStream(labels)), "images");

        var batches = ReadAll(reader, maxRows: 3);

        AssertRows(batches, FiveLabels, recordSize: 12);
        Assert.Equal(images.Length + labels.Length, reader.BytesRead);
    }

    [Fact]
    public void DetectsGzipByContentNotByName()
    {
        using var gzipNamedPlain = new IdxDatasetReader(new MemoryStream(IdxFiles.Gzip(IdxFiles.Images(2, 2, 2))), null, "images.idx");
        using var plainNamedGzip = new IdxDatasetReader(new MemoryStream(IdxFiles.Images(2, 2, 2)), null, "images.idx.gz");

        Assert.Equal(ReadAll(gzipNamedPlain, 10)[0][0].GetValue(1), ReadAll(plainNamedGzip, 10)[0][0].GetValue(1));
    }

    [Fact]
    public void ReadsImagesWithoutLabels()
    {
        using var reader = new IdxDatasetReader(new MemoryStream(IdxFiles.Images(3, 2, 2)), null, "images");

        Assert.Equal(new DatasetSchema([new ColumnSchema("pixels", ColumnType.Vector, 4)]), reader.Schema);
        var batch = Assert.Single(ReadAll(reader, 100));
        Assert.Equal(3, batch.RowCount);
        Assert.Null(reader.ReadBatch(100));
    }

    [Fact]
    public void ConvertsEveryByteValueExactly()
    {
        // 777 values: several vector widths plus a scalar tail, every byte value among them.
        var pixels = Enumerable.Range(0, 777).Select(i => (byte)(i * 5)).ToArray();
        byte[] file = [.. IdxFiles.Header(0x00000803, 1, 1, 777), .. pixels];
        using var reader = new IdxDatasetReader(new MemoryStream(file), null, "images");

        var vector = (VectorColumn)ReadAll(reader, 1)[0][0];

        Assert.Equal(pixels.Select(p => (float)p), vector.Values.ToArray());
    }

    [Fact]
    public void ReadsRecordsLargerThanTheBuffer()
    {
        var options = new IdxReaderOptions { BufferSize = IdxReaderOptions.MinBufferSize };
        using var reader = new IdxDatasetReader(
            new NonSeekableStream(new MemoryStream(IdxFiles.Images(5, rows: 50, columns: 100))), null, "images", options);

        var batches = ReadAll(reader, maxRows: 4);

        Assert.Equal([4, 1], batches.Select(b => b.RowCount));
        var vectors = (VectorColumn)Column.Concat([.. batches.Select(b => b[0])]);
        Assert.Equal(IdxFiles.Pixels(5, 5000).Select(p => (float)p), vectors.Values.ToArray());
    }

    [Fact]
    public void RejectsAFileThatIsNotIdx()
    {
        var zip = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

        var error = OpenFails(zip, null);

        Assert.Equal("digits.idx", error.Source);
        Assert.Contains("0x504B0304", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000803", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsALabelsFileGivenAsImages()
    {
        var error = OpenFails(IdxFiles.Labels(FiveLabels), null);

        Assert.StartsWith("digits.idx: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("declares 1 dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("looks like a labels file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsDataTypesOtherThanUnsignedBytes()
    {
        var floats = IdxFiles.Header(0x00000D03, 1, 2, 2);

        var error = OpenFails([.. floats, .. new byte[16]], null);

        Assert.Contains("data type 0x0D (32-bit float) at offset 2 is not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("only 0x08 (unsigned byte)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAnEmptyFile()
    {
        var error = OpenFails([], null);

        Assert.Equal("digits.idx: the file is empty; expected an IDX header.", error.Message);
    }

    [Fact]
    public void RejectsATruncatedHeader()
    {
        var error = OpenFails(IdxFiles.Images(1, 2, 2)[..10], null);

        Assert.Equal("digits.idx: the file ends at byte offset 10, inside the 3 dimension sizes (from offset 4).", error.Message);
    }

    [Fact]
    public void RejectsImagesWithNoColumns()
    {
        var error = OpenFails(IdxFiles.Header(0x00000803, 1, 28, 0), null);

        Assert.Contains("dimension 3 (at offset 12) has size 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsALabelsFileWithWrongMagic()
    {
        var error = OpenFails(IdxFiles.Images(5, 2, 2), IdxFiles.Images(5, 2, 2));

        Assert.Equal("digits.idx (labels)", error.Source);
        Assert.Contains("an IDX labels file has 1 (magic 0x00000801)", error.Message, StringComparison.Ordinal);
        Assert.Contains("looks like an images file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsLabelCountDifferentFromImageCount()
    {
        var options = new IdxReaderOptions { LabelsSourceName = "labels.idx" };

        var error = Assert.Throws<DataFormatException>(() => new IdxDatasetReader(
            new MemoryStream(IdxFiles.Images(5, 2, 2)), new MemoryStream(IdxFiles.Labels(1, 2, 3, 4)), "images.idx", options));

        Assert.Equal("labels.idx", error.Source);
        Assert.Contains("holds 4 labels but the images file 'images.idx' holds 5 images", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReportsWhichImageRecordIsTruncated(bool gzip)
    {
        // The header promises 5 images of 6 bytes; the data stops 2 bytes into the 4th.
        var file = IdxFiles.Images(5, 3, 2)[..(16 + 20)];
        var source = new NonSeekableStream(new MemoryStream(gzip ? IdxFiles.Gzip(file) : file));
        using var reader = new IdxDatasetReader(source, null, "images.idx");

        Assert.Equal(2, reader.ReadBatch(2)!.RowCount);
        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(2));

        Assert.Equal(4, error.Line);
        Assert.StartsWith("images.idx: line 4: the file is truncated: image record 4 of 5 is incomplete.", error.Message, StringComparison.Ordinal);
        Assert.Contains($"ends at byte offset 36{(gzip ? " (decompressed)" : string.Empty)}; 5 records of 6 bytes need 46 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsWhichLabelRecordIsTruncated()
    {
        var labels = IdxFiles.Labels(FiveLabels)[..11];
        using var reader = new IdxDatasetReader(new MemoryStream(IdxFiles.Images(5, 2, 2)), new NonSeekableStream(new MemoryStream(labels)), "images.idx");

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(10));

        Assert.Equal("images.idx (labels)", error.Source);
        Assert.Contains("label record 4 of 5 is incomplete", error.Message, StringComparison.Ordinal);
    }

    /// <summary>16 bytes that declare 1,000 records of 8,000 × 8,000 pixels: refused at once, with nothing allocated for them.</summary>
    [Fact]
    public void AHeaderThatPromisesMoreThanTheFileHoldsIsRefusedBeforeAnyAllocation()
    {
        var header = IdxFiles.Header(0x00000803, 1_000, 8_000, 8_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => new IdxDatasetReader(new MemoryStream(header), null, "huge.idx"));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("the file has 16 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    /// <summary>The same header through gzip (no length known up front): batches stay bounded, and the truncation is found on reading.</summary>
    [Fact]
    public void AGzipHeaderThatPromisesHugeRecordsReadsInBoundedBatches()
    {
        var header = IdxFiles.Header(0x00000803, 1_000_000, 4_000, 4_000);
        using var reader = new IdxDatasetReader(new NonSeekableStream(new MemoryStream(IdxFiles.Gzip(header))), null, "huge.idx.gz");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(int.MaxValue));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256L << 20, "a batch allocated for the declared records, not a bounded share");
    }

    /// <summary>A gzip bomb: 8,000,000 zero pixels compress about a thousandfold; the reader stops past 200x.</summary>
    [Fact]
    public void GzipDataThatExpandsLikeABombIsRefused()
    {
        var file = new byte[16 + 8_000_000];
        IdxFiles.Header(0x00000803, 1, 2_000, 4_000).CopyTo(file, 0);
        using var reader = new IdxDatasetReader(new NonSeekableStream(new MemoryStream(IdxFiles.Gzip(file))), null, "bomb.idx.gz");

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatch(1));

        Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordOverTheLimitIsRefused()
    {
        var header = IdxFiles.Header(0x00000803, 1, 10_000, 10_000);

        var error = Assert.Throws<DataFormatException>(() => new IdxDatasetReader(new NonSeekableStream(new MemoryStream(header)), null, "big.idx"));

        Assert.Contains("larger than the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsCorruptGzipData()
    {
        byte[] corrupt = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xDE, 0xAD, 0xBE, 0xEF, 0xDE, 0xAD, 0xBE, 0xEF];

        var error = OpenFails(corrupt, null);

        Assert.Contains("the gzip data is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposesTheStreamsItWasGiven()
    {
        var images = new MemoryStream(IdxFiles.Images(1, 1, 1));
        var labels = new MemoryStream(IdxFiles.Labels(1));
        var badImages = new MemoryStream([1, 2, 3]);
        var otherLabels = new MemoryStream(IdxFiles.Labels(1));

        new IdxDatasetReader(images, labels, "images").Dispose();
        Assert.Throws<DataFormatException>(() => new IdxDatasetReader(badImages, otherLabels, "bad"));

        Assert.All(new[] { images, labels, badImages, otherLabels }, s => Assert.False(s.CanRead));
    }

    [Fact]
    public void RejectsATinyBuffer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new IdxDatasetReader(new MemoryStream(IdxFiles.Images(1, 1, 1)), null, "images", new IdxReaderOptions { BufferSize = 100 }));

        Assert.Contains("IdxReaderOptions.BufferSize is 100", error.Message, StringComparison.Ordinal);
    }

    private static DataFormatException OpenFails(byte[] images, byte[]? labels) =>
        Assert.Throws<DataFormatException>(() => new IdxDatasetReader(
            new NonSeekableStream(new MemoryStream(images)),
            labels is null ? null : new NonSeekableStream(new MemoryStream(labels)),
            "digits.idx"));

    private static List<ColumnBatch> ReadAll(IdxDatasetReader reader, int maxRows)
    {
        var batches = new List<ColumnBatch>();
        while (reader.ReadBatch(maxRows) is { } batch)
        {
            batches.Add(batch);
        }

        return batches;
    }

    private static void AssertRows(List<ColumnBatch> batches, byte[] labels, int recordSize)
    {
        var all = ColumnBatch.Concat(batches[0].Schema, batches);
        Assert.Equal(labels.Select(l => (long)l), ((Int64Column)all["label"]).Values.ToArray());
        Assert.Equal(IdxFiles.Pixels(labels.Length, recordSize).Select(p => (float)p), ((VectorColumn)all["pixels"]).Values.ToArray());
    }
}
