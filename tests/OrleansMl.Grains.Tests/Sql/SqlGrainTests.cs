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
    public async Task APartitionDecodesOnlyTheColumnsAQueryReadsAndAddsOthersWhenAsked()
    {
        var name = DatasetClusterFixture.NewName();
        var (grain, path) = await ImportAsync(name, "SELECT i AS id, i % 3 AS k, repeat('w', 200) || i AS wide FROM range(6000) t(i)", 2);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);

        var sum = await sql.QueryAsync(new SqlRequest($"SELECT sum(id) AS s FROM \"{name}\""));
        Assert.Equal(17_997_000, JsonDocument.Parse(sum.RowsJson).RootElement[0].GetProperty("s").GetInt64());
        var narrow = await grain.GetPartitionsAsync();
        Assert.All(narrow, p => Assert.InRange(p.CachedBytes, 1, 3_000 * 16));

        var grouped = await sql.QueryAsync(new SqlRequest($"SELECT k, max(wide) AS w, sum(id) AS s FROM \"{name}\" GROUP BY k ORDER BY k"));
        AssertRows(await DuckDb.QueryAsync($"SELECT k, max(wide) AS w, sum(id) AS s FROM {DuckDb.Quote(path)} GROUP BY k ORDER BY k"), grouped);
        var wide = await grain.GetPartitionsAsync();
        Assert.All(wide, p => Assert.True(p.CachedBytes > 3_000 * 200, $"{p.CachedBytes} bytes cached"));

        var head = await grain.HeadAsync(rows: 1);
        Assert.Equal("www", JsonDocument.Parse(head.RowsJson).RootElement[0].GetProperty("wide").GetString()![..3]);
    }

    [Fact]
    public async Task APartitionWhoseFooterRangesRuleOutTheConditionsIsNotRead()
    {
        var name = DatasetClusterFixture.NewName();
        var (grain, _) = await ImportAsync(name, "SELECT i AS id, TIMESTAMP '2026-01-01' + INTERVAL (i) HOUR AS ts, i * 0.5 AS x FROM range(8000) t(i) ORDER BY i", 4);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);

        // Twice: a partition answers its first selective query from the row groups it needs alone, and loads and caches the columns for the second.
        var first = await sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n, sum(x) AS s FROM \"{name}\" WHERE id < 100 AND x >= 0"));
        var second = await sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n, sum(x) AS s FROM \"{name}\" WHERE id < 100 AND x >= 0"));
        var none = await sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n FROM \"{name}\" WHERE id BETWEEN 9000 AND 9100 OR id IS NULL"));

        Assert.Equal("[{\"n\":100,\"s\":2475}]", first.RowsJson);
        Assert.Equal(first.RowsJson, second.RowsJson);
        Assert.Equal("[{\"n\":0}]", none.RowsJson);
        var partitions = await grain.GetPartitionsAsync();
        Assert.Equal(1, partitions.Count(p => p.CachedBytes > 0)); // the one the first rows went to (the import deals batches out in turn)
        var later = await sql.QueryAsync(new SqlRequest($"SELECT min(id) AS lo, count(*) AS n FROM \"{name}\" WHERE 7000 <= id"));
        Assert.Equal("[{\"lo\":7000,\"n\":1000}]", later.RowsJson);
    }

    [Fact]
    public async Task AColdPartitionReadsOnlyTheRowGroupsItsFooterLeavesForTheQueryAlone()
    {
        // One partition of 300,000 rows in id order: the import writes it as 8 row groups of 37,500 rows.
        var name = DatasetClusterFixture.NewName();
        var (grain, path) = await ImportAsync(name, "SELECT i AS id, i * 0.5 AS x, 'k' || (i % 3) AS k, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 100 END AS m FROM range(300000) t(i) ORDER BY i", 1);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        const string Narrow = "SELECT count(*) AS n, sum(x) AS s, count(m) AS nm, min(k) AS lo, max(k) AS hi FROM {0} WHERE id BETWEEN 70000 AND 80000 AND m < 50";

        var plan = await sql.QueryAsync(new SqlRequest("EXPLAIN " + string.Format(CultureInfo.InvariantCulture, Narrow, $"\"{name}\"")));
        var skip = JsonDocument.Parse(plan.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("step").GetString()!).Single(s => s.StartsWith("skip the partition", StringComparison.Ordinal));
        Assert.Contains("70000", skip, StringComparison.Ordinal);
        Assert.Contains("m < 50", skip, StringComparison.Ordinal);

        var narrow = await sql.QueryAsync(new SqlRequest(string.Format(CultureInfo.InvariantCulture, Narrow, $"\"{name}\"")));
        AssertRows(await DuckDb.QueryAsync(string.Format(CultureInfo.InvariantCulture, Narrow, DuckDb.Quote(path))), narrow);
        Assert.All(await grain.GetPartitionsAsync(), p => Assert.Equal(0, p.CachedBytes)); // two row groups read for this query, nothing cached

        // The next selective query loads the columns it reads whole and caches them, and answers the same.
        var again = await sql.QueryAsync(new SqlRequest(string.Format(CultureInfo.InvariantCulture, Narrow, $"\"{name}\"")));
        Assert.Equal(narrow.RowsJson, again.RowsJson);
        Assert.All(await grain.GetPartitionsAsync(), p => Assert.True(p.CachedBytes >= 300_000 * 16, $"{p.CachedBytes} bytes cached"));
        var wide = await sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n, sum(x) AS s FROM \"{name}\" WHERE id >= 10"));
        AssertRows(await DuckDb.QueryAsync($"SELECT count(*) AS n, sum(x) AS s FROM {DuckDb.Quote(path)} WHERE id >= 10"), wide);
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

    [Fact]
    public async Task JoinsSubqueriesWithAndUnionAgreeWithDuckDb()
    {
        var orders = DatasetClusterFixture.NewName();
        var customers = DatasetClusterFixture.NewName();
        var ordersPath = Path.Combine(fixture.FilesDirectory, $"{orders}.parquet");
        var customersPath = Path.Combine(fixture.FilesDirectory, $"{customers}.parquet");
        await DuckDb.QueryAsync($"""
            COPY (SELECT i AS id, CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7919) % 2100 END AS cust, (i * 37 % 1000) / 10.0 AS amount FROM range(30000) t(i))
            TO {DuckDb.Quote(ordersPath)} (FORMAT parquet)
            """);
        await DuckDb.QueryAsync($"""
            COPY (SELECT i AS id, 'seg' || (i % 5) AS segment FROM range(2000) t(i)) TO {DuckDb.Quote(customersPath)} (FORMAT parquet)
            """);
        Assert.Equal(DatasetOperation.Succeeded, (await fixture.ImportAsync(orders, new ImportRequest(new DatasetSource(ordersPath), Options: new ImportOptions(Partitions: 4)))).Item2.State);
        Assert.Equal(DatasetOperation.Succeeded, (await fixture.ImportAsync(customers, new ImportRequest(new DatasetSource(customersPath), Options: new ImportOptions(Partitions: 2)))).Item2.State);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        string[] queries =
        [
            "SELECT c.segment, count(*) AS n, sum(o.amount) AS s FROM {o} o JOIN {c} c ON o.cust = c.id WHERE c.segment <> 'seg3' AND o.amount > 10 GROUP BY c.segment ORDER BY c.segment",
            "SELECT c.segment, count(o.id) AS n FROM {c} c LEFT JOIN {o} o ON o.cust = c.id AND o.amount > 90 GROUP BY c.segment ORDER BY 1",
            "WITH big AS (SELECT cust, sum(amount) AS total FROM {o} GROUP BY cust) SELECT c.segment, count(*) AS n, max(b.total) AS m FROM big b JOIN {c} c ON b.cust = c.id GROUP BY c.segment ORDER BY 1",
            "SELECT count(*) AS n, sum(v) AS s FROM (SELECT amount AS v FROM {o} WHERE amount < 50 UNION ALL SELECT id * 1.5 FROM {c}) u",
            "WITH big AS (SELECT cust, sum(amount) AS total FROM {o} GROUP BY cust) SELECT c.segment, count(*) AS n FROM {c} c JOIN big b ON b.cust = c.id WHERE b.total > 700 AND c.id % 2 = 0 GROUP BY c.segment ORDER BY 1",
            "SELECT o.id, s.n FROM {o} o JOIN (SELECT segment, id, id % 3 AS n FROM {c}) s ON o.cust = s.id AND s.n = 1 WHERE o.id < 400 ORDER BY o.id",
            "SELECT id, n FROM (SELECT cust AS id, count(*) AS n FROM {o} GROUP BY cust) t ORDER BY n DESC, id NULLS FIRST LIMIT 10",
            "SELECT count(*) AS n, count(o.id) AS no, count(c.id) AS nc FROM {o} o FULL JOIN {c} c ON o.cust = c.id",
            "WITH s AS (SELECT segment, count(*) AS n FROM {c} GROUP BY segment) SELECT a.segment, a.n + b.n AS nn FROM s a JOIN s b ON a.segment = b.segment ORDER BY 1",
            "SELECT id FROM {c} WHERE id < 3 UNION ALL SELECT id FROM {o} WHERE id > 29997 ORDER BY id DESC",
            "SELECT segment FROM {c} UNION SELECT concat('seg', '9') FROM {o} WHERE id < 5 ORDER BY 1",
            "SELECT cust % 7 AS k FROM {o} WHERE cust IS NOT NULL UNION DISTINCT SELECT id % 5 FROM {c} ORDER BY k",
        ];
        foreach (var query in queries)
        {
            var answer = await sql.QueryAsync(new SqlRequest(query.Replace("{o}", $"\"{orders}\"", StringComparison.Ordinal).Replace("{c}", $"\"{customers}\"", StringComparison.Ordinal)));
            AssertRows(await DuckDb.QueryAsync(query.Replace("{o}", DuckDb.Quote(ordersPath), StringComparison.Ordinal).Replace("{c}", DuckDb.Quote(customersPath), StringComparison.Ordinal)), answer);
        }

        var joined = await sql.QueryAsync(new SqlRequest($"SELECT count(*) FROM \"{customers}\" c JOIN \"{orders}\" o ON o.cust = c.id"));
        Assert.Equal([$"{customers}@1", $"{orders}@1"], joined.Reads);
        var plan = await sql.QueryAsync(new SqlRequest($"EXPLAIN SELECT c.segment, sum(o.amount) FROM \"{customers}\" c JOIN \"{orders}\" o ON o.cust = c.id WHERE c.segment = 'seg1' GROUP BY c.segment"));
        var steps = JsonDocument.Parse(plan.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("step").GetString()!).ToList();
        Assert.Equal($"c: SELECT id, segment FROM \"{customers}\"@1 WHERE (segment = 'seg1') in its 2 partition grain(s), held whole and sent to every partition grain", steps[0]);
        Assert.StartsWith($"runs in 4 partition grains of {orders} v1", steps[1], StringComparison.Ordinal);
        Assert.Contains("hash join c (held whole in every partition grain: id, segment, rows where (segment = 'seg1')) on (o.cust = c.id)", steps);
    }

    [Fact]
    public async Task WindowFunctionsRunOverTheRowsOfAllPartitionsAndAgreeWithDuckDb()
    {
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(fixture.FilesDirectory, $"{name}.parquet");
        await DuckDb.QueryAsync($"""
            COPY (SELECT i AS id, 'u' || (i % 37) AS usr, TIMESTAMP '2026-01-01' + INTERVAL (i * 7) MINUTE AS ts, CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 31 % 500) / 10.0 END AS amount
                  FROM range(20000) t(i)) TO {DuckDb.Quote(path)} (FORMAT parquet)
            """);
        Assert.Equal(DatasetOperation.Succeeded, (await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 4)))).Item2.State);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        string[] queries =
        [
            "SELECT id, usr, row_number() OVER (PARTITION BY usr ORDER BY ts DESC) AS rn, sum(amount) OVER (PARTITION BY usr ORDER BY ts) AS running FROM {t} WHERE id % 3 = 0 ORDER BY id",
            "SELECT usr, id, amount - lag(amount) OVER (PARTITION BY usr ORDER BY ts) AS change FROM {t} ORDER BY change DESC NULLS LAST, id LIMIT 15",
            "SELECT usr, total, rank() OVER (ORDER BY total DESC) AS r FROM (SELECT usr, sum(amount) AS total FROM {t} GROUP BY usr) s ORDER BY r, usr",
            "WITH ranked AS (SELECT usr, id, amount, row_number() OVER (PARTITION BY usr ORDER BY amount DESC NULLS LAST, id) AS rn FROM {t}) SELECT usr, id, amount FROM ranked WHERE rn <= 2 ORDER BY usr, rn",
        ];
        foreach (var query in queries)
        {
            var answer = await sql.QueryAsync(new SqlRequest(query.Replace("{t}", $"\"{name}\"", StringComparison.Ordinal)));
            AssertRows(await DuckDb.QueryAsync(query.Replace("{t}", DuckDb.Quote(path), StringComparison.Ordinal)), answer);
        }

        var plan = await sql.QueryAsync(new SqlRequest($"EXPLAIN SELECT usr, avg(amount) OVER (PARTITION BY usr) AS a FROM \"{name}\" WHERE amount > 3"));
        var steps = JsonDocument.Parse(plan.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("step").GetString()!).ToList();
        Assert.StartsWith($"runs in 4 partition grains of {name} v1", steps[0], StringComparison.Ordinal);
        Assert.Contains("window functions over all those rows, held whole at the coordinator: avg(amount) OVER (PARTITION BY usr)", steps);

        var created = await sql.QueryAsync(new SqlRequest($"CREATE DATASET \"{name}-firsts\" AS SELECT usr, id, row_number() OVER (PARTITION BY usr ORDER BY id) AS n FROM \"{name}\""));
        Assert.Equal(20_000, created.Written);
    }

    [Fact]
    public async Task FilesAreReadInPlaceUnderTheImportRootsAndJoinDatasets()
    {
        var name = DatasetClusterFixture.NewName();
        var parquet = Path.Combine(fixture.FilesDirectory, $"{name}.parquet");
        var csv = Path.Combine(fixture.FilesDirectory, $"{name}-labels.csv");
        await DuckDb.QueryAsync($"COPY (SELECT i AS id, i % 9 AS label, (i * 13 % 100) / 4.0 AS x FROM range(5000) t(i)) TO {DuckDb.Quote(parquet)} (FORMAT parquet)");
        await File.WriteAllTextAsync(csv, "label;title\n" + string.Join("\n", Enumerable.Range(0, 9).Select(i => $"{i};class {i}")) + "\n");
        Assert.Equal(DatasetOperation.Succeeded, (await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(parquet), Options: new ImportOptions(Partitions: 3)))).Item2.State);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);

        var grouped = await sql.QueryAsync(new SqlRequest($"SELECT label, count(*) AS n, avg(x) AS a FROM read_parquet('{parquet}') WHERE x > 5 GROUP BY label ORDER BY label"));
        AssertRows(await DuckDb.QueryAsync($"SELECT label, count(*) AS n, avg(x) AS a FROM {DuckDb.Quote(parquet)} WHERE x > 5 GROUP BY label ORDER BY label"), grouped);
        Assert.Empty(grouped.Reads);

        var joined = await sql.QueryAsync(new SqlRequest($"SELECT l.title, count(*) AS n FROM \"{name}\" d JOIN read_csv('{csv}', delim = ';') l ON d.label = l.label WHERE d.id % 2 = 0 GROUP BY l.title ORDER BY l.title"));
        AssertRows(await DuckDb.QueryAsync($"SELECT l.title, count(*) AS n FROM {DuckDb.Quote(parquet)} d JOIN read_csv({DuckDb.Quote(csv)}, delim = ';') l ON d.label = l.label WHERE d.id % 2 = 0 GROUP BY l.title ORDER BY l.title"), joined);

        var outside = await Assert.ThrowsAsync<ArgumentException>(() => sql.QueryAsync(new SqlRequest("SELECT * FROM read_csv('/etc/passwd')")));
        Assert.Contains("outside the folders imports may read", outside.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => sql.QueryAsync(new SqlRequest($"SELECT * FROM read_parquet('{parquet}.nope')")));
        Assert.Contains("does not exist on the server", missing.Message, StringComparison.Ordinal);
        Assert.Contains("^", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueryWithPagesKeepsEveryRowToReadPageByPageUntilDeleted()
    {
        var name = DatasetClusterFixture.NewName();
        await ImportAsync(name, "SELECT i AS id, i % 10 AS k FROM range(30000) t(i)", 3);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        var id = $"pages-{name}";

        var first = await sql.QueryAsync(new SqlRequest($"SELECT id, k * 2 AS k2 FROM \"{name}\" WHERE k <> 3", MaxRows: 4_000, Id: id, Pages: true));
        var ids = JsonDocument.Parse(first.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        for (long offset = first.RowCount; offset < first.TotalRows; offset += 5_000)
        {
            var page = await sql.ReadPageAsync(id, offset, 5_000);
            Assert.Equal(offset + page.RowCount < first.TotalRows, page.Truncated);
            ids.AddRange(JsonDocument.Parse(page.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        }

        Assert.Equal((id, 27_000L, 4_000, true, name), (first.Id, first.TotalRows, first.RowCount, first.Truncated, first.Dataset));
        Assert.Equal(Enumerable.Range(0, 30_000).Where(i => i % 10 != 3).Select(i => (long)i), ids.Order());
        var ordered = await sql.QueryAsync(new SqlRequest($"SELECT id FROM \"{name}\" ORDER BY id DESC", MaxRows: 10, Id: id, Pages: true));
        Assert.Equal(30_000L, ordered.TotalRows);
        Assert.Equal("[{\"id\":29999}]", (await sql.ReadPageAsync(id, 0, 1)).RowsJson);
        Assert.Equal("[{\"id\":0}]", (await sql.ReadPageAsync(id, 29_999, 10)).RowsJson);

        Assert.True(await sql.StopAsync(id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => sql.ReadPageAsync(id, 0, 10));
        Assert.False(await sql.StopAsync(id));
    }

    [Fact]
    public async Task ARunningQueryIsCancelledByItsIdAndItsCallerToldSo()
    {
        var name = DatasetClusterFixture.NewName();
        await ImportAsync(name, "SELECT i AS id, (i * 7) % 1000 AS x FROM range(40000) t(i)", 4);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        var id = $"slow-{name}";

        // About 60 million pairs, each checked: seconds of work, where a cancel lands in milliseconds.
        var running = sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n FROM \"{name}\" a CROSS JOIN (SELECT x AS y FROM \"{name}\" WHERE id < 1500) b WHERE (a.x * b.y + a.id) % 7 = 3", Id: id));
        while (!await sql.StopAsync(id))
        {
            Assert.False(running.IsCompleted, "the query ended before it could be cancelled");
            await Task.Delay(10);
        }

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() => running);
        Assert.Contains($"Query '{id}' was cancelled", error.Message, StringComparison.Ordinal);
        Assert.False(await sql.StopAsync(id));
        Assert.Equal(1, (await sql.QueryAsync(new SqlRequest($"SELECT count(*) AS n FROM \"{name}\" WHERE id = 7", Id: id))).RowCount);
    }

    [Fact]
    public async Task AFolderOrGlobOfParquetPartFilesImportsAsOneTable()
    {
        var folder = Path.Combine(fixture.FilesDirectory, DatasetClusterFixture.NewName());
        Directory.CreateDirectory(folder);
        for (var part = 0; part < 3; part++)
        {
            await DuckDb.QueryAsync($"COPY (SELECT i AS id, i % 5 AS k, i * 0.5 AS x FROM range({part * 1000}, {(part + 1) * 1000 + part * 7}) t(i)) TO {DuckDb.Quote(Path.Combine(folder, $"part-{part:00000}.parquet"))} (FORMAT parquet)");
        }

        File.WriteAllText(Path.Combine(folder, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(folder, ".part-00000.parquet.crc"), "not parquet");
        var expected = await DuckDb.QueryAsync($"SELECT k, count(*) AS n, sum(x) AS s FROM read_parquet({DuckDb.Quote(Path.Combine(folder, "*.parquet"))}) GROUP BY k ORDER BY k");
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);

        foreach (var source in new[] { folder, Path.Combine(folder, "part-*.parquet") })
        {
            var name = DatasetClusterFixture.NewName();
            var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(source), Options: new ImportOptions(Partitions: 2)));
            Assert.Equal(DatasetOperation.Succeeded, import.State);
            AssertRows(expected, await sql.QueryAsync(new SqlRequest($"SELECT k, count(*) AS n, sum(x) AS s FROM \"{name}\" GROUP BY k ORDER BY k")));
        }

        await DuckDb.QueryAsync($"COPY (SELECT 'a' AS id, 1 AS k, 0.5 AS x) TO {DuckDb.Quote(Path.Combine(folder, "part-99999.parquet"))} (FORMAT parquet)");
        var (_, mixed) = await fixture.ImportAsync(DatasetClusterFixture.NewName(), new ImportRequest(new DatasetSource(folder)));
        Assert.Equal(DatasetOperation.Failed, mixed.State);
        Assert.Contains("part-99999.parquet: column 'id' is string where part-00000.parquet has 'id' as int64", mixed.Error, StringComparison.Ordinal);
        var nothing = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IDatasetGrain>(DatasetClusterFixture.NewName()).StartImportAsync(new ImportRequest(new DatasetSource(Path.Combine(folder, "nothing-*.parquet")))));
        Assert.Contains("matches no file", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampFunctionsAgreeWithDuckDb()
    {
        var name = DatasetClusterFixture.NewName();
        var (_, path) = await ImportAsync(name, "SELECT i AS id, TIMESTAMP '2023-11-28 07:30:00' + to_seconds(i * 3607 + (i % 13) * 86400) AS ts FROM range(20000) t(i)", 3);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        string[] queries =
        [
            "SELECT year(ts) AS y, month(ts) AS m, count(*) AS n, min(day(ts)) AS d FROM {t} GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT dayofweek(ts) AS w, count(*) AS n, sum(hour(ts)) AS h, sum(minute(ts) + second(ts)) AS ms, max(dayofyear(ts)) AS dy FROM {t} GROUP BY 1 ORDER BY 1",
            "SELECT count(DISTINCT date_trunc('week', ts)) AS w, count(*) AS n FROM {t}",
            "SELECT count(DISTINCT date_trunc('quarter', ts)) AS q FROM {t} WHERE dayofweek(ts) <> 0",
            "SELECT q.n, d.n AS days FROM (SELECT count(*) AS n FROM (SELECT DISTINCT date_trunc('month', ts) AS m FROM {t}) x) q CROSS JOIN (SELECT count(DISTINCT date_trunc('day', ts)) AS n FROM {t}) d",
            "SELECT hour(date_trunc('hour', ts)) AS h, count(*) AS n FROM {t} WHERE ts >= '2024-01-01' AND ts < '2024-02-01' GROUP BY 1 ORDER BY 1",
        ];
        foreach (var query in queries)
        {
            AssertRows(await DuckDb.QueryAsync(query.Replace("{t}", DuckDb.Quote(path), StringComparison.Ordinal)), await sql.QueryAsync(new SqlRequest(query.Replace("{t}", $"\"{name}\"", StringComparison.Ordinal))));
        }
    }

    [Fact]
    public async Task AFeatherFileImportsByItsName()
    {
        var path = Path.Combine(fixture.FilesDirectory, $"{DatasetClusterFixture.NewName()}.feather");
        var ids = new Apache.Arrow.Int32Array.Builder().AppendRange(Enumerable.Range(0, 4_000)).Build();
        var cities = new Apache.Arrow.StringArray.Builder().AppendRange(Enumerable.Range(0, 4_000).Select(i => i % 3 == 0 ? "Oslo" : "Lima")).Build();
        var schema = new Apache.Arrow.Schema.Builder().Field(f => f.Name("id").DataType(Apache.Arrow.Types.Int32Type.Default)).Field(f => f.Name("city").DataType(Apache.Arrow.Types.StringType.Default)).Build();
        await using (var file = File.Create(path))
        using (var writer = new Apache.Arrow.Ipc.ArrowFileWriter(file, schema, leaveOpen: false, new Apache.Arrow.Ipc.IpcOptions { CompressionCodec = Apache.Arrow.Ipc.CompressionCodecType.Lz4Frame, CompressionCodecFactory = new Apache.Arrow.Compression.CompressionCodecFactory() }))
        {
            await writer.WriteRecordBatchAsync(new Apache.Arrow.RecordBatch(schema, [ids, cities], 4_000));
            await writer.WriteEndAsync();
        }

        var name = DatasetClusterFixture.NewName();
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 2)));
        var answer = await fixture.Grains.GetGrain<ISqlGrain>(0).QueryAsync(new SqlRequest($"SELECT city, count(*) AS n, sum(id) AS s FROM \"{name}\" GROUP BY city ORDER BY city"));

        Assert.Equal(DatasetOperation.Succeeded, import.State);
        Assert.Equal(
            $$"""[{"city":"Lima","n":{{Enumerable.Range(0, 4_000).Count(i => i % 3 != 0)}},"s":{{Enumerable.Range(0, 4_000).Where(i => i % 3 != 0).Sum()}}},{"city":"Oslo","n":{{Enumerable.Range(0, 4_000).Count(i => i % 3 == 0)}},"s":{{Enumerable.Range(0, 4_000).Where(i => i % 3 == 0).Sum()}}}]""",
            answer.RowsJson);
    }

    [Fact]
    public async Task CreateDatasetWritesEachPartitionWhereItIsAndAFailureLeavesNoVersion()
    {
        var name = DatasetClusterFixture.NewName();
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(3_000)), Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);
        var sql = fixture.Grains.GetGrain<ISqlGrain>(0);
        var copy = DatasetClusterFixture.NewName();
        var failed = DatasetClusterFixture.NewName();

        var written = await sql.QueryAsync(new SqlRequest($"CREATE DATASET \"{copy}\" AS SELECT id, x * 2 AS y, \"group\" FROM \"{name}\" WHERE flag"));
        var grouped = await sql.QueryAsync(new SqlRequest($"SELECT \"group\", count(*) AS n FROM \"{name}\" WHERE flag GROUP BY \"group\" ORDER BY 1", 10), default);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sql.QueryAsync(new SqlRequest($"SELECT CAST(note AS BIGINT) AS n FROM \"{name}\"", Into: failed)));

        Assert.Equal((copy, 1, 3, 1_500L), (written.Dataset, written.Version, written.Partitions, written.Written));
        var info = (await fixture.Grains.GetGrain<IDatasetGrain>(copy).GetAsync())!.Versions.Single();
        Assert.Equal(["id:int64", "y:float64", "group:categorical"], info.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal([$"{name}@1"], info.Lineage.Reads);
        var again = await sql.QueryAsync(new SqlRequest($"SELECT \"group\", count(*) AS n FROM \"{copy}\" GROUP BY \"group\" ORDER BY 1"));
        Assert.Equal(grouped.RowsJson, again.RowsJson);
        Assert.Contains("CAST cannot turn 'note ", error.Message, StringComparison.Ordinal);
        Assert.Empty((await fixture.Grains.GetGrain<IDatasetGrain>(failed).GetAsync())?.Versions ?? []);
    }

    [Theory]
    [InlineData("SELECT nope FROM \"{0}\"", "Unknown column 'nope'")]
    [InlineData("SELECT id FROM \"{0}\" WHERE count(*) > 1", "Aggregates are not allowed in WHERE")]
    [InlineData("SELECT id, count(*) FROM \"{0}\"", "'id' must be in GROUP BY or inside an aggregate")]
    [InlineData("SELECT id FROM \"{0}\"@9", "has no version 9")]
    [InlineData("SELECT id FROM \"nowhere-{0}\"", "does not exist")]
    [InlineData("SELECT id FROM \"{0}x\"", "did you mean '{0}'?")]
    [InlineData("SELEC id FROM \"{0}\"", "expected SELECT")]
    [InlineData("SELECT id FROM \"{0}\" UNION SELECT id FROM \"{0}\" UNION ALL SELECT id FROM \"{0}\"", "This query mixes UNION and UNION ALL")]
    [InlineData("SELECT a.id FROM \"{0}\" a JOIN \"{0}\" b ON a.id = b.idd", "'b' has no column 'idd'")]
    [InlineData("SELECT x FROM (SELECT id AS x FROM \"{0}\") s UNION ALL SELECT id, id FROM \"{0}\"", "This UNION ALL branch has 2 column(s) where the first has 1")]
    public async Task AWrongQueryIsRefusedNamingWhere(string query, string message)
    {
        var name = DatasetClusterFixture.NewName();
        var (_, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(fixture.WriteCsv(100))));
        Assert.Equal(DatasetOperation.Succeeded, import.State);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<ISqlGrain>(0).QueryAsync(new SqlRequest(string.Format(CultureInfo.InvariantCulture, query, name))));
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, message, name), error.Message, StringComparison.Ordinal);
        Assert.Equal("query", FieldError.FieldOf(error));
    }

    /// <summary>Writes the rows of a DuckDB <paramref name="select"/> as a Parquet file and imports it as <paramref name="name"/> in <paramref name="partitions"/> partitions.</summary>
    private async Task<(IDatasetGrain Grain, string Path)> ImportAsync(string name, string select, int partitions)
    {
        var path = Path.Combine(fixture.FilesDirectory, $"{name}.parquet");
        await DuckDb.QueryAsync($"COPY ({select}) TO {DuckDb.Quote(path)} (FORMAT parquet)");
        var (grain, import) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: partitions)));
        Assert.Equal(DatasetOperation.Succeeded, import.State);
        return (grain, path);
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
