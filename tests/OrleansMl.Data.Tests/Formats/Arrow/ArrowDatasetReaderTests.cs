using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Arrow;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Formats.Arrow;

/// <summary>Arrow IPC files and streams written by the Arrow project's own .NET writer, compressed and not, read back value for value.</summary>
public sealed class ArrowDatasetReaderTests
{
    private const int Rows = 2_500;

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, CompressionCodecType.Lz4Frame)]
    [InlineData(false, CompressionCodecType.Zstd)]
    [InlineData(false, null)]
    public void EveryImportableTypeReadsBackAsWritten(bool file, CompressionCodecType? compression)
    {
        using var bytes = new MemoryStream();
        var batch = Sample();
        var options = new IpcOptions { CompressionCodec = compression, CompressionCodecFactory = new CompressionCodecFactory() };
        using (ArrowStreamWriter writer = file ? new ArrowFileWriter(bytes, batch.Schema, leaveOpen: true, options) : new ArrowStreamWriter(bytes, batch.Schema, leaveOpen: true, options))
        {
            writer.WriteRecordBatch(batch.Slice(0, 1_000));
            writer.WriteRecordBatch(batch.Slice(1_000, Rows - 1_000));
            writer.WriteEnd();
        }

        bytes.Position = 0;
        using var reader = ArrowDatasetReader.Open(new MemoryStream(bytes.ToArray()), "test.arrow");
        var batches = new List<ColumnBatch>();
        while (reader.ReadBatch(700) is { } read)
        {
            batches.Add(read);
        }

        var rows = ColumnBatch.Concat(reader.Schema, batches);
        Assert.Equal(["id:Int64:0", "small:Int64:0", "x:Float64:0", "flag:Boolean:0", "name:String:0", "kind:Categorical:0", "at:Timestamp:0", "day:Timestamp:0", "v:Vector:3", "w:Vector:2"],
            reader.Schema.Columns.Select(c => $"{c.Name}:{c.Type}:{c.VectorLength}"));
        Assert.Equal(Rows, rows.RowCount);
        for (var i = 0; i < Rows; i += 97)
        {
            Assert.Equal(i % 11 == 0 ? null : (long)i * 1_000_003, rows["id"].GetValue(i));
            Assert.Equal((long)(i % 200), rows["small"].GetValue(i));
            Assert.Equal(i % 13 == 0 ? null : i / 8.0, rows["x"].GetValue(i));
            Assert.Equal(i % 3 == 0, rows["flag"].GetValue(i));
            Assert.Equal(i % 17 == 0 ? null : $"name {i} é", rows["name"].GetValue(i));
            Assert.Equal($"k{i % 4}", rows["kind"].GetValue(i));
            Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 61.5), rows["at"].GetValue(i));
            Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i), rows["day"].GetValue(i));
            Assert.Equal([i, i + 0.5f, -i], ((VectorColumn)rows["v"]).Row(i).ToArray());
            Assert.Equal([i * 2f, 1f], ((VectorColumn)rows["w"]).Row(i).ToArray());
        }
    }

    [Fact]
    public void AColumnOfATypeThatCannotBeImportedIsRefusedByName()
    {
        var schema = new Apache.Arrow.Schema.Builder().Field(f => f.Name("when").DataType(Time64Type.Default)).Build();
        using var bytes = new MemoryStream();
        using (var writer = new ArrowStreamWriter(bytes, schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(new RecordBatch(schema, [new Time64Array.Builder().Append(1L).Build()], 1));
            writer.WriteEnd();
        }

        var error = Assert.Throws<DataFormatException>(() => ArrowDatasetReader.Open(new MemoryStream(bytes.ToArray()), "times.arrow"));
        Assert.Contains("column 'when' is Arrow time64, which cannot be imported", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable Arrow IPC", Assert.Throws<DataFormatException>(() => ArrowDatasetReader.Open(new MemoryStream("id,x\n1,2\n"u8.ToArray()), "x.arrow")).Message, StringComparison.Ordinal);
    }

    private static RecordBatch Sample()
    {
        var id = new Int64Array.Builder();
        var small = new UInt8Array.Builder();
        var x = new DoubleArray.Builder();
        var flag = new BooleanArray.Builder();
        var name = new StringArray.Builder();
        var kinds = new Int32Array.Builder();
        var at = new TimestampArray.Builder(new TimestampType(TimeUnit.Nanosecond, "UTC"));
        var day = new Date32Array.Builder();
        var v = new FixedSizeListArray.Builder(FloatType.Default, 3);
        var w = new ListArray.Builder(DoubleType.Default);
        for (var i = 0; i < Rows; i++)
        {
            if (i % 11 == 0) { id.AppendNull(); } else { id.Append((long)i * 1_000_003); }
            small.Append((byte)(i % 200));
            if (i % 13 == 0) { x.AppendNull(); } else { x.Append(i / 8.0); }
            flag.Append(i % 3 == 0);
            if (i % 17 == 0) { name.AppendNull(); } else { name.Append($"name {i} é"); }
            kinds.Append(i % 4);
            at.Append(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 61.5));
            day.Append(new DateTime(2020, 1, 1).AddDays(i));
            v.Append();
            ((FloatArray.Builder)v.ValueBuilder).Append(i).Append(i + 0.5f).Append(-i);
            w.Append();
            ((DoubleArray.Builder)w.ValueBuilder).Append(i * 2.0).Append(1.0);
        }

        var words = new StringArray.Builder().AppendRange(["k0", "k1", "k2", "k3"]).Build();
        var kind = new DictionaryArray(new DictionaryType(Int32Type.Default, StringType.Default, false), kinds.Build(), words);
        IArrowArray[] arrays = [id.Build(), small.Build(), x.Build(), flag.Build(), name.Build(), kind, at.Build(), day.Build(), v.Build(), w.Build()];
        var schema = new Apache.Arrow.Schema.Builder();
        string[] names = ["id", "small", "x", "flag", "name", "kind", "at", "day", "v", "w"];
        for (var c = 0; c < names.Length; c++)
        {
            var column = c;
            schema.Field(f => f.Name(names[column]).DataType(arrays[column].Data.DataType).Nullable(true));
        }

        return new RecordBatch(schema.Build(), arrays, Rows);
    }
}
