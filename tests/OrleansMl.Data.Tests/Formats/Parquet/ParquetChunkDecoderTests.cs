using System.Globalization;
using Parquet;
using Parquet.Schema;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Parquet;

/// <summary>
/// The reader's own page decoder (<see cref="ParquetChunkDecoder"/>) against the values written, against
/// DuckDB reading the same foreign files, and against damaged files.
/// </summary>
public sealed class ParquetChunkDecoderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-chunks-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static ColumnBatch Generated(int rows, int seed)
    {
        var random = new Random(seed);
        var schema = new DatasetSchema(
        [
            new ColumnSchema("n", ColumnType.Int64), new ColumnSchema("x", ColumnType.Float64), new ColumnSchema("status", ColumnType.String),
            new ColumnSchema("unique", ColumnType.String), new ColumnSchema("cat", ColumnType.Categorical), new ColumnSchema("at", ColumnType.Timestamp),
            new ColumnSchema("dense", ColumnType.Int64),
        ]);
        var builders = schema.Columns.Select(c => ColumnBuilder.Create(c, rows)).ToArray();
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue];
        string[] statuses = ["F", "O", "P", "é ü", ""];
        for (var i = 0; i < rows; i++)
        {
            Append(builders[0], random.Next(9) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue));
            Append(builders[1], random.Next(11) == 0 ? null : random.Next(13) == 0 ? specials[random.Next(specials.Length)] : (random.NextDouble() - 0.5) * 1e6);
            Append(builders[2], random.Next(7) == 0 ? null : statuses[random.Next(statuses.Length)]);
            Append(builders[3], random.Next(5) == 0 ? null : $"row {i} {random.Next()} ✓");
            Append(builders[4], random.Next(3) == 0 ? null : $"c{random.Next(300)}");
            Append(builders[5], random.Next(8) == 0 ? null : random.NextInt64(-2_000_000_000_000_000, 4_000_000_000_000_000));
            Append(builders[6], (long)random.Next(1000));
        }

        return new ColumnBatch(schema, [.. builders.Select(b => b.Build())]);
    }

    private static void Append(ColumnBuilder builder, object? value)
    {
        switch (value)
        {
            case null: builder.AppendNull(); break;
            case long l: ((Int64ColumnBuilder)builder).Append(l); break;
            case double d: ((Float64ColumnBuilder)builder).Append(d); break;
            case string s: ((StringColumnBuilder)builder).Append(s); break;
        }
    }

    private async Task<string> WriteOwnAsync(params ColumnBatch[] batches)
    {
        var path = Path.Combine(_directory.FullName, $"part-{Guid.NewGuid():N}.parquet");
        await using var file = File.Create(path);
        await using var writer = await ParquetPartitionWriter.CreateAsync(file, batches[0].Schema);
        foreach (var batch in batches)
        {
            await writer.WriteAsync(batch);
        }

        return path;
    }

    /// <summary>How many of the file's column chunks the decoder reads itself (the rest go through Parquet.Net).</summary>
    private static async Task<(int Decoded, int Chunks)> DecodedChunksAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var parquet = await ParquetReader.CreateAsync(file, new ParquetOptions { TreatByteArrayAsString = true });
        var (decoded, chunks) = (0, 0);
        for (var g = 0; g < parquet.RowGroupCount; g++)
        {
            using var group = parquet.OpenRowGroupReader(g);
            foreach (var field in parquet.Schema.GetDataFields())
            {
                chunks++;
                var target = field.ClrType == typeof(double) ? ParquetChunkDecoder.Target.Float64
                    : field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? ParquetChunkDecoder.Target.Text
                    : ParquetChunkDecoder.Target.Int64;
                var schema = new ColumnSchema(field.Name, target switch
                {
                    ParquetChunkDecoder.Target.Float64 => ColumnType.Float64,
                    ParquetChunkDecoder.Target.Text => ColumnType.String,
                    _ => ColumnType.Int64,
                });
                var column = await ParquetChunkDecoder.TryReadAsync(file, group.GetMetadata(field)!.MetaData!, field.MaxDefinitionLevel, target, 1, schema, (int)group.RowCount, default);
                decoded += column is null ? 0 : 1;
            }
        }

        return (decoded, chunks);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1_000, 2)]
    [InlineData(250_000, 3)]
    public async Task OwnPartFilesDecodeToTheValuesWritten(int rows, int seed)
    {
        var first = Generated(rows, seed);
        var second = Generated(rows / 2 + 1, seed + 100);
        var path = await WriteOwnAsync(first, second);

        var (decoded, chunks) = await DecodedChunksAsync(path);
        Assert.Equal(chunks, decoded); // every chunk of our own files takes the decoder, not the fallback

        await using var file = File.OpenRead(path);
        var read = await ParquetDatasetReader.ReadAllAsync(file, path);
        var expected = ColumnBatch.Concat(first.Schema, [first, second]);
        Assert.Equal(expected.Schema, read.Schema);
        for (var c = 0; c < expected.Columns.Count; c++)
        {
            for (var r = 0; r < expected.RowCount; r++)
            {
                Assert.True(Equals(expected[c].GetValue(r), read[c].GetValue(r)), $"column {expected.Schema[c].Name}, row {r}: wrote {expected[c].GetValue(r)}, read {read[c].GetValue(r)}");
            }
        }

        // Repeated values of a row group share one string, as the other text path's do.
        var status = (StringColumn)read[read.Schema.IndexOf("status")];
        var fs = Enumerable.Range(0, first.RowCount).Where(r => status.Values[r] == "F").ToArray();
        Assert.True(fs.Length < 2 || ReferenceEquals(status.Values[fs[0]], status.Values[fs[^1]]));
    }

    [Theory]
    [InlineData("snappy", "v1", true)]
    [InlineData("uncompressed", "v1", true)]
    [InlineData("snappy", "v2", true)]
    [InlineData("zstd", "v1", true)]
    [InlineData("gzip", "v2", true)]
    [InlineData("lz4", "v1", false)]
    public async Task FilesWrittenByDuckDbReadAsDuckDbReadsThem(string compression, string version, bool decoderReadsAll)
    {
        var path = Path.Combine(_directory.FullName, $"duck-{compression}-{version}.parquet");
        await DuckDb.QueryAsync(
            "COPY (SELECT i AS id, CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 7919) % 100003 - 50000 END AS n, " +
            "CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN 'NaN'::DOUBLE WHEN i % 17 = 0 THEN '-inf'::DOUBLE ELSE i / 7.0 END AS x, " +
            "CASE WHEN i % 5 = 0 THEN NULL ELSE ['F', 'O', 'P', 'é'][i % 4 + 1] END AS status, 'k' || (i * 31) % 50021 AS many, " +
            "CASE WHEN i % 6 = 0 THEN NULL ELSE TIMESTAMP '1960-03-01 10:00:00.123456' + INTERVAL (i * 37) SECOND END AS ts, " +
            "(TIMESTAMP '2001-02-03 04:05:06.789' + INTERVAL (i) MINUTE)::TIMESTAMP_MS AS ms, " +
            "(TIMESTAMP '2001-02-03 04:05:06.123456' + INTERVAL (i * 1001) MICROSECOND)::TIMESTAMP_NS AS ns " +
            $"FROM range(60000) t(i)) TO {DuckDb.Quote(path)} (FORMAT parquet, COMPRESSION {compression}, PARQUET_VERSION {version}, ROW_GROUP_SIZE 25000)");

        var (decoded, chunks) = await DecodedChunksAsync(path);
        if (decoderReadsAll)
        {
            Assert.Equal(chunks, decoded);
        }

        await using var file = File.OpenRead(path);
        var read = await ParquetDatasetReader.ReadAllAsync(file, path);
        var expected = await DuckDb.QueryAsync(
            "SELECT id::INTEGER AS id, n::VARCHAR AS n, CASE WHEN isnan(x) THEN 'NaN' WHEN isinf(x) AND x > 0 THEN 'Infinity' WHEN isinf(x) THEN '-Infinity' ELSE x::VARCHAR END AS x, status, many, epoch_us(ts)::VARCHAR AS ts, epoch_us(ms)::VARCHAR AS ms, (epoch_ns(ns) // 1000)::VARCHAR AS ns " +
            $"FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id");
        Assert.Equal(expected.Length, read.RowCount);
        var ids = (Int64Column)read[read.Schema.IndexOf("id")];
        for (var r = 0; r < read.RowCount; r++)
        {
            var want = expected[ids.Values[r]];
            Assert.Equal(want.GetProperty("id").GetInt64(), ids.Values[r]);
            foreach (var name in new[] { "n", "x", "status", "many", "ts", "ms", "ns" })
            {
                var json = want.GetProperty(name);
                var expectedText = json.ValueKind == System.Text.Json.JsonValueKind.Null ? null
                    : json.ValueKind == System.Text.Json.JsonValueKind.Number ? json.GetRawText() : json.GetString();
                var value = read[read.Schema.IndexOf(name)].GetValue(r);
                var got = value switch
                {
                    null => null,
                    double d when double.IsNaN(d) => "NaN",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    DateTime t => ((t - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                };
                if (name == "x" && expectedText is not null and not "NaN" && got is not null and not "NaN")
                {
                    Assert.Equal(double.Parse(expectedText, CultureInfo.InvariantCulture), double.Parse(got, CultureInfo.InvariantCulture));
                }
                else
                {
                    Assert.True(expectedText == got, $"{compression} {version}, column {name}, id {ids.Values[r]}: DuckDB {expectedText}, read {got}");
                }
            }
        }
    }

    [Fact]
    public async Task AColumnTheDecoderCannotReadInSomeRowGroupsIsReadWholeTheOtherWay()
    {
        // Row groups 1 and 3 Snappy (the decoder reads them into the whole file's array), row group 2 Brotli (it cannot):
        // each column switches to reading a row group at a time in the middle of the file and must still come out whole.
        var path = Path.Combine(_directory.FullName, "mixed-codecs.parquet");
        var schema = new ParquetSchema(new DataField<long?>("n"), new DataField<double?>("x"), new DataField<string>("status"));
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        var expected = new List<(long? N, double X, string? Status)>();
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(schema, file, options))
        {
            foreach (var (codec, rows) in new[] { (CompressionMethod.Snappy, 3_000), (CompressionMethod.Brotli, 2_000), (CompressionMethod.Snappy, 1_000) })
            {
                options.CompressionMethod = codec;
                var start = expected.Count;
                var group = Enumerable.Range(start, rows).Select(i => (N: i % 7 == 0 ? null : (long?)(i * 31L), X: i / 3.0, Status: i % 5 == 0 ? null : $"s{i % 4}")).ToList();
                expected.AddRange(group);
                using var rowGroup = writer.CreateRowGroup();
                await WriteNullableAsync(rowGroup, schema.DataFields[0], group.Select(g => g.N).ToArray(), v => v!.Value);
                await WriteNullableAsync(rowGroup, schema.DataFields[1], group.Select(g => (double?)g.X).ToArray(), v => v!.Value);
                await WriteNullableAsync(rowGroup, schema.DataFields[2], group.Select(g => g.Status).ToArray(), v => v!.AsMemory());
            }
        }

        var (decoded, chunks) = await DecodedChunksAsync(path);
        Assert.Equal((6, 9), (decoded, chunks)); // the file really mixes the two ways

        await using var input = File.OpenRead(path);
        var read = await ParquetDatasetReader.ReadAllAsync(input, path);
        Assert.Equal(expected.Count, read.RowCount);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].N, (long?)read[0].GetValue(r));
            Assert.Equal(expected[r].X, (double)read[1].GetValue(r)!);
            Assert.Equal(expected[r].Status, (string?)read[2].GetValue(r));
        }

        Assert.Equal(expected.Count(e => e.N is null), read[0].Nulls!.CountNulls());
    }

    /// <summary>A nullable column's present values with a definition level per row.</summary>
    private static Task WriteNullableAsync<TIn, TOut>(ParquetRowGroupWriter group, DataField field, TIn[] values, Func<TIn, TOut> present)
        where TOut : struct =>
        group.WriteAllPartsAsync<TOut>(field, values.Where(v => v is not null).Select(present).ToArray(), values.Select(v => v is null ? 0 : 1).ToArray(), null, default);

    [Fact]
    public async Task DamagedPagesAreDataFormatErrorsNeverCrashes()
    {
        var path = await WriteOwnAsync(Generated(20_000, 7));
        var original = await File.ReadAllBytesAsync(path);
        var footerLength = BitConverter.ToInt32(original, original.Length - 8) + 8;
        var random = new Random(11);
        var (failed, survived) = (0, 0);
        for (var trial = 0; trial < 150; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(4, bytes.Length - footerLength)] = (byte)random.Next(256); // pages only: the footer stays readable
            }

            using var stream = new MemoryStream(bytes);
            try
            {
                var read = await ParquetDatasetReader.ReadAllAsync(stream, "damaged.parquet").WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(20_000, read.RowCount);
                survived++;
            }
            catch (DataFormatException e)
            {
                Assert.Contains("damaged.parquet", e.Message);
                failed++;
            }
        }

        Assert.True(failed > 0, "no damaged file was refused: the flips missed every page header");
        Assert.Equal(150, failed + survived);
    }
}
