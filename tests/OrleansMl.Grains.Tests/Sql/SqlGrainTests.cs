using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Sql;

/// <summary>
/// Queries through the coordinator grain over a dataset of five partitions spread on three silos,
/// against DuckDB reading the Parquet file the dataset was imported from.
/// </summary>
[Collection(DatasetClusterCollection.Name)]
public sealed class SqlGrainTests(DatasetClusterFixture fixture)
{
    [Fact]
    public async Task QueriesRunInThePartitionsAndAgreeWithDuckDb()
    {
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(fixture.FilesDirectory, $"{name}.parquet");
        await DuckDb.QueryAsync($"""
            COPY (SELECT i AS id, 'c' || (i % 7) AS cat, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 37 % 1000) / 10.0 END AS x, i % 5 = 0 AS flag
                  FROM range(50000) t(i)) TO {DuckDb.Quote(path)} (FORMAT parquet)
            """);
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 5)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);

        var grouped = await sql.QueryAsync(new SqlRequest($"SELECT cat, count(*) AS n, count(x) AS nx, sum(id) AS s, avg(x) AS a, stddev(x) AS sd, min(x) AS lo, max(x) AS hi FROM \"{name}\" WHERE NOT flag GROUP BY cat HAVING count(*) > 10 ORDER BY cat"));
        var expected = await DuckDb.QueryAsync($"SELECT cat, count(*) AS n, count(x) AS nx, sum(id) AS s, avg(x) AS a, stddev(x) AS sd, min(x) AS lo, max(x) AS hi FROM {DuckDb.Quote(path)} WHERE NOT flag GROUP BY cat HAVING count(*) > 10 ORDER BY cat");
        Assert.Equal((name, 1, 5, false), (grouped.Dataset, grouped.Version, grouped.Partitions, grouped.Truncated));
        Assert.Equal(["cat", "n", "nx", "s", "a", "sd", "lo", "hi"], grouped.Columns.Select(c => c.Name));
        AssertRows(expected, grouped);

        var top = await sql.QueryAsync(new SqlRequest($"SELECT id, x * 2 AS y FROM \"{name}\"@1 WHERE x IS NOT NULL ORDER BY x DESC, id LIMIT 25 OFFSET 5"));
        AssertRows(await DuckDb.QueryAsync($"SELECT id, x * 2 AS y FROM {DuckDb.Quote(path)} WHERE x IS NOT NULL ORDER BY x DESC, id LIMIT 25 OFFSET 5"), top);

        var cut = await sql.QueryAsync(new SqlRequest($"SELECT id FROM \"{name}\" ORDER BY id DESC", MaxRows: 100));
        Assert.True(cut.Truncated);
        Assert.Equal(100, cut.RowCount);
        Assert.Equal(49_999, JsonDocument.Parse(cut.RowsJson).RootElement[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ExplainShowsWhatRunsWhereWithoutRunningIt()
    {
        var name = DatasetClusterFixture.NewName();
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(3_000)), Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var plan = await fixture.Grains.GetGrain<ISqlGrain>(0).QueryAsync(new SqlRequest($"EXPLAIN SELECT \"group\", count(*) AS n, avg(x) AS a FROM \"{name}\" WHERE flag GROUP BY \"group\" ORDER BY n DESC LIMIT 2"));
        var steps = JsonDocument.Parse(plan.RowsJson).RootElement.EnumerateArray().Select(r => (r.GetProperty("stage").GetString(), r.GetProperty("step").GetString()!)).ToList();

        Assert.Equal(["stage", "step"], plan.Columns.Select(c => c.Name));
        Assert.StartsWith($"runs in 3 partition grains of {name} v1 at once, on silo(s) ", steps[0].Item2, StringComparison.Ordinal);
        Assert.Contains(("partition", "read 3 column(s) of the cached partition: x, group, flag"), steps);
        Assert.Contains(("partition", "filter flag"), steps);
        Assert.Contains(("partition", "group by \"group\"; partial count(*), avg(x)"), steps);
        Assert.Contains(("merge", "order by n DESC"), steps);
        Assert.Equal(("merge", "skip 0 rows, return at most 2: group, n, a"), steps[^1]);
    }

    [Theory]
    [InlineData("SELECT nope FROM \"{0}\"", "Unknown column 'nope'")]
    [InlineData("SELECT id FROM \"{0}\" WHERE count(*) > 1", "Aggregates are not allowed in WHERE")]
    [InlineData("SELECT id, count(*) FROM \"{0}\"", "'id' must be in GROUP BY or inside an aggregate")]
    [InlineData("SELECT id FROM \"{0}\"@9", "has no version 9")]
    [InlineData("SELECT id FROM \"nowhere-{0}\"", "does not exist")]
    [InlineData("SELECT id FROM \"{0}x\"", "did you mean '{0}'?")]
    [InlineData("SELEC id FROM \"{0}\"", "expected SELECT")]
    [InlineData("SELECT id FROM \"{0}\" JOIN b ON a = b", "joins, UNION and WITH are not supported yet")]
    public async Task AWrongQueryIsRefusedNamingWhere(string query, string message)
    {
        var name = DatasetClusterFixture.NewName();
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(100))));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<ISqlGrain>(0).QueryAsync(new SqlRequest(string.Format(CultureInfo.InvariantCulture, query, name))));
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, message, name), error.Message, StringComparison.Ordinal);
        Assert.Equal("query", FieldError.FieldOf(error));
    }

    private static void AssertRows(JsonElement[] expected, SqlResult actual)
    {
        var rows = JsonDocument.Parse(actual.RowsJson).RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Length, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var want = expected[r].EnumerateObject().Select(p => Canonical(p.Value)).ToList();
            var got = rows[r].EnumerateObject().Select(p => Canonical(p.Value)).ToList();
            Assert.True(want.SequenceEqual(got), $"row {r}: DuckDB [{string.Join(", ", want)}], platform [{string.Join(", ", got)}]");
        }
    }

    private static string Canonical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => value.GetDouble().ToString("G9", CultureInfo.InvariantCulture),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number.ToString("G9", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
