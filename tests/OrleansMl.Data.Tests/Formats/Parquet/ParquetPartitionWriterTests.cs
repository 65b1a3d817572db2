using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Formats.Parquet;

/// <summary>Our own part-file writer: what it encodes how, and whether our reader, Parquet.Net and DuckDB all read the same values and statistics.</summary>
public sealed class ParquetPartitionWriterTests : IDisposable
{
    private const int Rows = 300_000; // past one page of 131,072 numbers
    private const int FirstGroup = 200_000;

    private static readonly string[] Words = ["red", "blue", "é", "z😀", "\uFFFF", "\uE000", "", "a long-ish word"];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-parquet-writer-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task RepeatedValuesAreDictionaryEncodedAndOurReaderParquetNetAndDuckDbReadTheSameValuesAndStatistics()
    {
        var batch = Batch();
        var path = Path.Combine(_directory.FullName, "part.parquet");
        await using (var file = File.Create(path))
        await using (var writer = await ParquetPartitionWriter.CreateAsync(file, batch.Schema))
        {
            await writer.WriteAsync(batch.Slice(0, FirstGroup));
            await writer.WriteAsync(batch.Slice(FirstGroup, Rows - FirstGroup));
        }

        // Our reader: every value, null and NaN as written.
        var read = await ParquetDatasetReader.ReadAllAsync(File.OpenRead(path), "part.parquet");
        Assert.Equal(batch.Schema, read.Schema);
        for (var c = 0; c < batch.Columns.Count; c++)
        {
            for (var row = 0; row < Rows; row++)
            {
                Assert.True(Equals(batch.Columns[c].GetValue(row), read.Columns[c].GetValue(row)), $"{batch.Schema[c].Name} row {row}: {batch.Columns[c].GetValue(row)} read as {read.Columns[c].GetValue(row)}");
            }
        }

        // Parquet.Net (the reader's way for what its own decoder does not read) on the dictionary-encoded numbers.
        await using (var parquet = await global::Parquet.ParquetReader.CreateAsync(File.OpenRead(path)))
        using (var group = parquet.OpenRowGroupReader(1))
        {
            var field = parquet.Schema.GetDataFields().Single(f => f.Name == "qty");
            var quantities = new double?[Rows - FirstGroup];
            await group.ReadAsync(field, quantities.AsMemory(), null, default);

            // NaN is left out of the least and greatest value; DuckDB shows no statistics with infinities in them.
            var statistics = group.GetStatistics(field)!;
            Assert.Equal(double.NegativeInfinity, statistics.MinValue);
            Assert.Equal(double.PositiveInfinity, statistics.MaxValue);
            var expected = (Float64Column)batch["qty"];
            for (var i = 0; i < quantities.Length; i++)
            {
                Assert.Equal(expected.IsNull(FirstGroup + i) ? null : expected.Values[FirstGroup + i], quantities[i]);
            }
        }

        // DuckDB: how each column is stored, and each row group's statistics against the values themselves.
        var chunks = await DuckDb.QueryAsync(
            $"SELECT row_group_id AS g, path_in_schema AS col, encodings, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata({DuckDb.Quote(path)})");
        string Encodings(string column) => chunks.First(c => c.GetProperty("col").GetString() == column).GetProperty("encodings").GetString()!;
        foreach (var column in new[] { "qty", "day", "word" })
        {
            Assert.Contains("DICTIONARY", Encodings(column), StringComparison.Ordinal);
        }

        foreach (var column in new[] { "key", "price", "text" })
        {
            Assert.DoesNotContain("DICTIONARY", Encodings(column), StringComparison.Ordinal);
        }

        foreach (var chunk in chunks)
        {
            var name = chunk.GetProperty("col").GetString()!;
            var (start, count) = Long(chunk.GetProperty("g")) == 0 ? (0, FirstGroup) : (FirstGroup, Rows - FirstGroup);
            var column = batch[name].Slice(start, count);
            Assert.Equal(column.CountNulls(), Long(chunk.GetProperty("nulls")));
            switch (column)
            {
                case Int64Column longs when name != "at":
                    var present = Enumerable.Range(0, count).Where(i => !longs.IsNull(i)).Select(i => longs.Values[i]).ToArray();
                    Assert.Equal(present.Min().ToString(CultureInfo.InvariantCulture), chunk.GetProperty("lo").GetString());
                    Assert.Equal(present.Max().ToString(CultureInfo.InvariantCulture), chunk.GetProperty("hi").GetString());
                    break;
                case Float64Column doubles when chunk.GetProperty("lo").ValueKind != JsonValueKind.Null:
                    var numbers = Enumerable.Range(0, count).Where(i => !doubles.IsNull(i) && !double.IsNaN(doubles.Values[i])).Select(i => doubles.Values[i]).ToArray();
                    Assert.Equal(numbers.Min(), ParseDouble(chunk.GetProperty("lo")));
                    Assert.Equal(numbers.Max(), ParseDouble(chunk.GetProperty("hi")));
                    break;
                case StringColumn strings:
                    var texts = Enumerable.Range(0, count).Where(i => !strings.IsNull(i)).Select(i => Encoding.UTF8.GetBytes(strings.Values[i]!)).ToArray();
                    Array.Sort(texts, (a, b) => a.AsSpan().SequenceCompareTo(b));
                    Assert.Equal(Encoding.UTF8.GetString(texts[0]), chunk.GetProperty("lo").GetString());
                    Assert.Equal(Encoding.UTF8.GetString(texts[^1]), chunk.GetProperty("hi").GetString());
                    break;
            }
        }

        // DuckDB's answers over the whole file against the same answers computed here.
        var answers = (await DuckDb.QueryAsync(
            $"SELECT count(*) AS n, sum(key) AS keys, count(qty) AS qtys, sum(qty) FILTER (WHERE isfinite(qty)) AS qty_sum, sum(day) AS days, count(DISTINCT word) AS words, " +
            $"count(text) AS texts, count(*) FILTER (WHERE flag) AS flags, min(\"at\")::VARCHAR AS first_at FROM read_parquet({DuckDb.Quote(path)})"))[0];
        var key = (Int64Column)batch["key"];
        var qty = (Float64Column)batch["qty"];
        var day = (Int64Column)batch["day"];
        Assert.Equal(Rows, Long(answers.GetProperty("n")));
        Assert.Equal(Enumerable.Range(0, Rows).Where(i => !key.IsNull(i)).Sum(i => key.Values[i]), Long(answers.GetProperty("keys")));
        Assert.Equal(Rows - qty.CountNulls(), Long(answers.GetProperty("qtys")));
        var qtySum = Enumerable.Range(0, Rows).Where(i => !qty.IsNull(i) && double.IsFinite(qty.Values[i])).Sum(i => qty.Values[i]);
        Assert.Equal(qtySum, answers.GetProperty("qty_sum").GetDouble(), Math.Abs(qtySum) * 1e-12); // summed in another order
        Assert.Equal(Enumerable.Range(0, Rows).Where(i => !day.IsNull(i)).Sum(i => day.Values[i]), Long(answers.GetProperty("days")));
        Assert.Equal(Words.Length, Long(answers.GetProperty("words")));
        Assert.Equal(Rows - batch["text"].CountNulls(), Long(answers.GetProperty("texts")));
        Assert.Equal(Enumerable.Range(0, Rows).Count(i => !batch["flag"].IsNull(i) && (bool)batch["flag"].GetValue(i)!), Long(answers.GetProperty("flags")));
        Assert.StartsWith("2024-01-01 00:00:00", answers.GetProperty("first_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyBatchWritesNoRowGroupAndAFileOfNoRowsReads()
    {
        var batch = Batch().Slice(0, 0);
        var path = Path.Combine(_directory.FullName, "empty.parquet");
        await using (var file = File.Create(path))
        await using (var writer = await ParquetPartitionWriter.CreateAsync(file, batch.Schema))
        {
            await writer.WriteAsync(batch);
        }

        await using (var parquet = await global::Parquet.ParquetReader.CreateAsync(File.OpenRead(path)))
        {
            Assert.Equal(0, parquet.RowGroupCount);
        }

        var read = await ParquetDatasetReader.ReadAllAsync(File.OpenRead(path), "empty.parquet");
        Assert.Equal(0, read.RowCount);
        Assert.Equal(batch.Schema, read.Schema);
        Assert.Equal("0", (await DuckDb.QueryAsync($"SELECT count(*) AS n FROM read_parquet({DuckDb.Quote(path)})"))[0].GetProperty("n").ToString());
    }

    [Fact]
    public async Task TextReadsAsCodesWhileEveryPageIsDictionaryEncodedAndAsStringsFromAPageThatIsNot()
    {
        var schema = new DatasetSchema([new ColumnSchema("w", ColumnType.Categorical)]);
        ColumnBatch Words(int seed) => new(schema, [new StringColumn(schema[0], [.. Enumerable.Range(0, 1000).Select(i => i % 7 == 3 ? null : ParquetPartitionWriterTests.Words[(i * seed) % ParquetPartitionWriterTests.Words.Length])])]);
        var distinct = new ColumnBatch(schema, [new StringColumn(schema[0], [.. Enumerable.Range(0, 1000).Select(i => i % 11 == 0 ? null : $"distinct {i}")])]);

        foreach (var (batches, coded) in new[] { (new[] { Words(3), Words(5) }, true), (new[] { Words(3), distinct, Words(5) }, false) })
        {
            var path = Path.Combine(_directory.FullName, $"text-{coded}.parquet");
            await using (var file = File.Create(path))
            await using (var writer = await ParquetPartitionWriter.CreateAsync(file, schema))
            {
                foreach (var batch in batches)
                {
                    await writer.WriteAsync(batch);
                }
            }

            var expected = (StringColumn)ColumnBatch.Concat(schema, batches)["w"];
            var read = (StringColumn)(await ParquetDatasetReader.ReadAllAsync(File.OpenRead(path), "text.parquet"))["w"];
            Assert.Equal(coded, read.TryGetCodes(out _, out _));
            int[] rows = [5, 3, 3, 1999, 0, 1000, 17];
            Assert.Equal(rows.Select(expected.GetValue), rows.Select(read.GetValue));
            Assert.Equal(((StringColumn)expected.Take(rows)).Values.ToArray(), ((StringColumn)read.Take(rows)).Values.ToArray());
            Assert.Equal(((StringColumn)expected.Slice(990, 30)).Values.ToArray(), ((StringColumn)read.Slice(990, 30)).Values.ToArray());

            // Grouped by code as by text: the same group for every row, nulls a group of their own.
            var byText = OrleansMl.Data.Sql.GroupIds.Compute([expected], expected.Length);
            var byCode = OrleansMl.Data.Sql.GroupIds.Compute([read], read.Length);
            Assert.Equal(byText.Count, byCode.Count);
            Assert.Equal(byText.Ids, byCode.Ids);

            // Compared with a constant by code as by text (null rows neither equal nor unequal), before any string is made.
            foreach (var condition in new[] { "w = 'red'", "w <> 'é'", "'m' > w", "w >= 'z'", "w = 'not there'", "w IN ('red', 'é')", "w NOT IN ('blue', '')", "w IN ('red', NULL)", "w NOT IN ('red', NULL)" })
            {
                var predicate = OrleansMl.Data.Expressions.Expression.CompilePredicate(condition, schema);
                Assert.Equal(predicate.SelectRows(new ColumnBatch(schema, [expected])), predicate.SelectRows(new ColumnBatch(schema, [read])));
            }

            Assert.Equal(expected.Values.ToArray(), read.Values.ToArray());
        }
    }

    /// <summary>
    /// Keys (distinct), quantities (a few values with NaN, infinities and -0.0), prices (distinct), days (a few,
    /// negative too), timestamps, words (a few, past U+FFFF too), text (distinct), flags; nulls in each at its own stride.
    /// </summary>
    private static ColumnBatch Batch()
    {
        var schema = new DatasetSchema(
        [
            new ColumnSchema("key", ColumnType.Int64), new ColumnSchema("qty", ColumnType.Float64), new ColumnSchema("price", ColumnType.Float64),
            new ColumnSchema("day", ColumnType.Int64), new ColumnSchema("at", ColumnType.Timestamp), new ColumnSchema("word", ColumnType.Categorical),
            new ColumnSchema("text", ColumnType.String), new ColumnSchema("flag", ColumnType.Boolean),
        ]);
        var random = new Random(7);
        double[] quantities = [1, 2, 3.5, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300];
        var builders = schema.Columns.Select(c => ColumnBuilder.Create(c)).ToArray();
        for (var i = 0; i < Rows; i++)
        {
            Append(builders[0], i % 11 == 5, b => ((Int64ColumnBuilder)b).Append((i * 7919L) - 1_000_000));
            Append(builders[1], i % 13 == 6, b => ((Float64ColumnBuilder)b).Append(quantities[random.Next(quantities.Length)]));
            Append(builders[2], i % 17 == 7, b => ((Float64ColumnBuilder)b).Append(Math.Round(random.NextDouble() * 1e6, 2) - 5e5));
            Append(builders[3], i % 19 == 8, b => ((Int64ColumnBuilder)b).Append(random.Next(-300, 2500)));
            Append(builders[4], i % 23 == 9, b => ((Int64ColumnBuilder)b).Append(1_704_067_200_000_000L + (i * 1_000_003L)));
            Append(builders[5], i % 29 == 10, b => ((StringColumnBuilder)b).Append(Words[random.Next(Words.Length)]));
            Append(builders[6], i % 31 == 11, b => ((StringColumnBuilder)b).Append($"text {i} {random.Next()}"));
            Append(builders[7], i % 37 == 12, b => ((BooleanColumnBuilder)b).Append(random.Next(3) == 0));
        }

        return new ColumnBatch(schema, [.. builders.Select(b => b.Build())]);

        static void Append(ColumnBuilder builder, bool isNull, Action<ColumnBuilder> append)
        {
            if (isNull)
            {
                builder.AppendNull();
            }
            else
            {
                append(builder);
            }
        }
    }

    /// <summary>DuckDB's JSON gives BIGINTs as text.</summary>
    private static long Long(JsonElement value) => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();

    private static double ParseDouble(JsonElement value) => value.GetString() switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var text => double.Parse(text!, CultureInfo.InvariantCulture),
    };
}
