using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Parquet;

public sealed class ParquetRoundTripTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-parquet-");

    public void Dispose() => _directory.Delete(recursive: true);

    internal static ColumnBatch SampleBatch(int rows, int offset = 0)
    {
        var schema = new DatasetSchema(
        [
            new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("x", ColumnType.Float64), new ColumnSchema("ok", ColumnType.Boolean),
            new ColumnSchema("name", ColumnType.String), new ColumnSchema("color", ColumnType.Categorical),
            new ColumnSchema("at", ColumnType.Timestamp), new ColumnSchema("v", ColumnType.Vector, 3),
        ]);
        var builders = schema.Columns.Select(c => ColumnBuilder.Create(c)).ToArray();
        for (var i = offset; i < offset + rows; i++)
        {
            ((Int64ColumnBuilder)builders[0]).Append(i);
            if (i % 7 == 3)
            {
                for (var c = 1; c < builders.Length; c++)
                {
                    builders[c].AppendNull();
                }

                continue;
            }

            ((Float64ColumnBuilder)builders[1]).Append(i * 0.25);
            ((BooleanColumnBuilder)builders[2]).Append(i % 2 == 0);
            ((StringColumnBuilder)builders[3]).Append($"name {i}");
            ((StringColumnBuilder)builders[4]).Append(i % 3 == 0 ? "red" : "blue");
            ((Int64ColumnBuilder)builders[5]).Append(1_700_000_000_000_000L + (i * 1_000_000L));
            ((VectorColumnBuilder)builders[6]).Append([i, i + 0.5f, -i]);
        }

        return new ColumnBatch(schema, [.. builders.Select(b => b.Build())]);
    }

    private async Task<string> WriteAsync(params ColumnBatch[] batches)
    {
        var path = Path.Combine(_directory.FullName, $"part-{Guid.NewGuid():N}.parquet");
        await using (var file = File.Create(path))
        await using (var writer = await ParquetPartitionWriter.CreateAsync(file, batches[0].Schema))
        {
            foreach (var batch in batches)
            {
                await writer.WriteAsync(batch);
            }
        }

        return path;
    }

    [Fact]
    public async Task EveryTypeAndNullRoundTrips()
    {
        var first = SampleBatch(100);
        var second = SampleBatch(50, 100);
        var path = await WriteAsync(first, second);
        await using var file = File.OpenRead(path);
        var read = await ParquetDatasetReader.ReadAllAsync(file, path);
        Assert.Equal(first.Schema, read.Schema);
        var expected = ColumnBatch.Concat(first.Schema, [first, second]);
        Assert.Equal(150, read.RowCount);
        for (var c = 0; c < expected.Columns.Count; c++)
        {
            for (var r = 0; r < expected.RowCount; r++)
            {
                Assert.Equal(expected[c].GetValue(r), read[c].GetValue(r));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VectorsRoundTripWhetherEveryRowIsWholeOrOneIsNull(bool oneNull)
    {
        // Whole rows only are taken straight from the file's values; a null row goes the long way round.
        var schema = new DatasetSchema([new ColumnSchema("v", ColumnType.Vector, 5)]);
        var builder = new VectorColumnBuilder(schema[0], 40);
        for (var i = 0; i < 40; i++)
        {
            if (oneNull && i == 17)
            {
                builder.AppendNull();
                continue;
            }

            builder.Append([i, -i, i * 0.5f, float.NaN, i == 3 ? float.PositiveInfinity : 1]);
        }

        var written = new ColumnBatch(schema, [builder.Build()]);
        var path = await WriteAsync(written);
        await using var file = File.OpenRead(path);
        var read = await ParquetDatasetReader.ReadAllAsync(file, path);
        var vectors = Assert.IsType<VectorColumn>(read["v"]);
        Assert.Equal(oneNull, vectors.Nulls is not null);
        for (var r = 0; r < 40; r++)
        {
            Assert.Equal(written["v"].GetValue(r), vectors.GetValue(r));
        }
    }

    [Fact]
    public async Task ReaderReturnsBatchesOfAtMostTheRequestedSize()
    {
        var path = await WriteAsync(SampleBatch(100), SampleBatch(30, 100));
        using var reader = await ParquetDatasetReader.OpenAsync(File.OpenRead(path), path);
        var sizes = new List<int>();
        while (reader.ReadBatch(40) is { } batch)
        {
            sizes.Add(batch.RowCount);
        }

        Assert.Equal([40, 40, 20, 30], sizes);
        Assert.Equal(130, reader.RowCount);
    }

    [Fact]
    public async Task DuckDbReadsOurPartitionFiles()
    {
        var path = await WriteAsync(SampleBatch(100), SampleBatch(100, 100));
        var types = await DuckDb.QueryAsync($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(path)}))");
        Assert.Equal(
            ["id:BIGINT", "x:DOUBLE", "ok:BOOLEAN", "name:VARCHAR", "color:VARCHAR", "at:TIMESTAMP WITH TIME ZONE", "v:FLOAT[]"],
            types.Select(t => $"{t.GetProperty("column_name").GetString()}:{t.GetProperty("column_type").GetString()}"));
        var rows = await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, count(x) AS xs, sum(x) AS total, sum(list_sum(v)) AS vsum, count(DISTINCT color) AS colors, " +
            $"strftime(min(\"at\"), '%Y-%m-%d %H:%M:%S') AS first_at FROM read_parquet({DuckDb.Quote(path)})");
        var expected = ColumnBatch.Concat(SampleBatch(1).Schema, [SampleBatch(100), SampleBatch(100, 100)]);
        var x = (Float64Column)expected["x"];
        var total = 0.0;
        var vectorSum = 0.0;
        for (var i = 0; i < expected.RowCount; i++)
        {
            if (!x.IsNull(i))
            {
                total += x.Values[i];
                foreach (var value in ((VectorColumn)expected["v"]).Row(i))
                {
                    vectorSum += value;
                }
            }
        }

        Assert.Equal("200", rows[0].GetProperty("n").ToString());
        Assert.Equal((200 - x.CountNulls()).ToString(System.Globalization.CultureInfo.InvariantCulture), rows[0].GetProperty("xs").ToString());
        Assert.Equal(total, rows[0].GetProperty("total").GetDouble(), 6);
        Assert.Equal(vectorSum, rows[0].GetProperty("vsum").GetDouble(), 3);
        Assert.Equal("2", rows[0].GetProperty("colors").ToString());
        Assert.Equal("2023-11-14 22:13:20", rows[0].GetProperty("first_at").GetString());
    }

    [Fact]
    public async Task ReadsAFileWrittenByDuckDbWithRowGroupsAndDictionaries()
    {
        var path = Path.Combine(_directory.FullName, "duck.parquet");
        await DuckDb.QueryAsync(
            "COPY (SELECT i AS id, i::INTEGER AS small, (i * 0.5)::FLOAT AS f, CASE WHEN i % 4 = 0 THEN NULL ELSE 'c' || (i % 5) END AS cat, " +
            "i % 2 = 0 AS even, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS at, DATE '2024-01-01' + (i % 10)::INTEGER AS day, " +
            "[i::FLOAT, 1.0, 2.0] AS v, (i / 10)::DECIMAL(10,2) AS price FROM range(25000) t(i)) " +
            $"TO {DuckDb.Quote(path)} (FORMAT parquet, ROW_GROUP_SIZE 10000)");
        using var reader = await ParquetDatasetReader.OpenAsync(File.OpenRead(path), "duck.parquet");
        Assert.Equal(
            ["id:Int64", "small:Int64", "f:Float64", "cat:String", "even:Boolean", "at:Timestamp", "day:Timestamp", "v:Vector", "price:Float64"],
            reader.Schema.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(3, reader.Schema.Get("v").VectorLength);
        var batches = new List<ColumnBatch>();
        while (await reader.ReadBatchAsync(100_000) is { } batch)
        {
            batches.Add(batch);
        }

        Assert.Equal(3, batches.Count); // one per row group
        var all = ColumnBatch.Concat(reader.Schema, batches);
        Assert.Equal(25_000, all.RowCount);
        Assert.Equal(6250, all["cat"].CountNulls());
        Assert.Equal("c3", all["cat"].GetValue(3));
        Assert.Equal(12_345L, all["small"].GetValue(12_345));
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 7, DateTimeKind.Utc), all["at"].GetValue(7));
        Assert.Equal(new float[] { 9, 1, 2 }, (float[])all["v"].GetValue(9)!);
        Assert.Equal(1234.5, (double)all["price"].GetValue(12_345)!, 6);
    }

    [Fact]
    public async Task TextReadsBackWithNullsAndEachRepeatedValueIsOneString()
    {
        var few = new ColumnSchema("few", ColumnType.Categorical);
        var many = new ColumnSchema("many", ColumnType.String);
        var fewValues = new string?[20_000];
        var manyValues = new string?[20_000];
        for (var i = 0; i < fewValues.Length; i++)
        {
            fewValues[i] = i % 3 == 0 ? null : new string(['k', (char)('a' + (i % 4))]);
            manyValues[i] = i % 7 == 0 ? null : i % 5 == 0 ? string.Empty : $"value {i % 9_000}"; // past the values shared, and empty text apart from null
        }

        var path = await WriteAsync(new ColumnBatch(new DatasetSchema([few, many]), [new StringColumn(few, fewValues), new StringColumn(many, manyValues)]));
        var read = await ParquetDatasetReader.ReadAllAsync(File.OpenRead(path), "text.parquet");

        Assert.Equal(fewValues, ((StringColumn)read["few"]).Values.ToArray());
        Assert.Equal(manyValues, ((StringColumn)read["many"]).Values.ToArray());
        var instances = new HashSet<string>(ReferenceEqualityComparer.Instance);
        foreach (var value in ((StringColumn)read["few"]).Values)
        {
            if (value is not null)
            {
                instances.Add(value);
            }
        }

        Assert.Equal(4, instances.Count);

        // Text is stored dictionary-encoded (read back about three times faster than plain), as DuckDB sees the file.
        var chunks = await DuckDb.QueryAsync($"SELECT path_in_schema AS col, encodings FROM parquet_metadata({DuckDb.Quote(path)}) ORDER BY col");
        Assert.All(chunks, c => Assert.Contains("DICTIONARY", c.GetProperty("encodings").GetString(), StringComparison.Ordinal));
        var counts = await DuckDb.QueryAsync($"SELECT count(few) AS few, count(DISTINCT many) AS many FROM read_parquet({DuckDb.Quote(path)})");
        Assert.Equal($"{fewValues.Count(v => v is not null)}", counts[0].GetProperty("few").ToString());
        Assert.Equal($"{manyValues.Where(v => v is not null).Distinct().Count()}", counts[0].GetProperty("many").ToString());
    }

    [Fact]
    public async Task AFileWithASchemaAndNoRowsReadsAsNoRows()
    {
        var path = Path.Combine(_directory.FullName, "empty.parquet");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, 'x' AS name, (i * 0.5)::DOUBLE AS x FROM range(10) t(i) WHERE false) TO {DuckDb.Quote(path)} (FORMAT parquet)");

        using var reader = await ParquetDatasetReader.OpenAsync(File.OpenRead(path), "empty.parquet");

        Assert.Equal(["id:Int64", "name:String", "x:Float64"], reader.Schema.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(0, reader.RowCount);
        Assert.Null(await reader.ReadBatchAsync(100));
    }

    [Fact]
    public async Task AVectorColumnWithNoRowToMeasureFailsNamingIt()
    {
        var path = Path.Combine(_directory.FullName, "empty-vectors.parquet");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, [i::FLOAT, 1.0] AS v FROM range(10) t(i) WHERE false) TO {DuckDb.Quote(path)} (FORMAT parquet)");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetReader.OpenAsync(File.OpenRead(path), "empty-vectors.parquet"));

        Assert.Contains("'v'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("empty-vectors.parquet: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileCutAfterItsFooterFailsWithItsNameNotTheReadersText()
    {
        var whole = Path.Combine(_directory.FullName, "whole.parquet");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, (i * 0.5)::DOUBLE AS x FROM range(1000) t(i)) TO {DuckDb.Quote(whole)} (FORMAT parquet)");
        var bytes = await File.ReadAllBytesAsync(whole);
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        var footer = bytes[^(footerLength + 8)..];
        var path = Path.Combine(_directory.FullName, "footer-only.parquet");
        await File.WriteAllBytesAsync(path, [.. "PAR1"u8.ToArray(), .. footer]); // the magic, the footer, and no data pages

        var error = await Assert.ThrowsAsync<DataFormatException>(async () =>
        {
            using var reader = await ParquetDatasetReader.OpenAsync(File.OpenRead(path), "footer-only.parquet");
            while (await reader.ReadBatchAsync(100) is not null)
            {
            }
        });

        Assert.StartsWith("footer-only.parquet: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAParquetFileFailsWithItsName()
    {
        var path = Path.Combine(_directory.FullName, "fake.parquet");
        await File.WriteAllTextAsync(path, "this is not parquet at all, just text");
        var error = await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetReader.OpenAsync(File.OpenRead(path), "fake.parquet"));
        Assert.StartsWith("fake.parquet: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }
}
