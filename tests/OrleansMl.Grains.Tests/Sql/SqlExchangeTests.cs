using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;
using OrleansMl.Sql;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Grains.Tests.Sql;

/// <summary>
/// Queries whose joined dataset is too large to send whole and whose groups are too many to merge at
/// the coordinator, on three silos whose settings make every join of two datasets a hash exchange and
/// every GROUP BY over 16 KiB of partial aggregates merge by bucket, with 1 MiB per query and grain,: answers against DuckDB reading the
/// files the datasets were imported from, and no exchange file left behind.
/// </summary>
public sealed class SqlExchangeTests(SqlExchangeTests.ExchangeCluster cluster) : IClassFixture<SqlExchangeTests.ExchangeCluster>
{
    [Fact]
    public async Task JoinsOfTwoDatasetsRunBucketByBucketAndAgreeWithDuckDb()
    {
        var sql = cluster.Grains.GetGrain<ISqlGrain>(0);
        string[] queries =
        [
            "SELECT c.segment, count(*) AS n, sum(o.amount) AS s FROM {o} o JOIN {c} c ON o.cust = c.id WHERE c.segment <> 'seg3' AND o.amount > 10 GROUP BY c.segment ORDER BY c.segment",
            "SELECT c.segment, count(o.id) AS n FROM {c} c LEFT JOIN {o} o ON o.cust = c.id AND o.amount > 90 GROUP BY c.segment ORDER BY 1",
            "SELECT o.id, c.segment FROM {o} o LEFT JOIN {c} c ON o.cust = c.id WHERE o.id % 97 = 0 ORDER BY o.id",
            "SELECT count(*) AS n, count(o.id) AS no, count(c.id) AS nc, sum(c.id) AS sc FROM {o} o FULL JOIN {c} c ON o.cust = c.id",
            "SELECT count(*) AS n, count(o.id) AS no, sum(c.id) AS sc FROM {o} o RIGHT JOIN {c} c ON o.cust = c.id AND o.amount < 20",
            "SELECT s.label, count(*) AS n FROM {o} o JOIN {c} c ON o.cust = c.id JOIN {s} s ON c.segment = s.segment GROUP BY s.label ORDER BY 1",
            "SELECT o.id, o.amount, c.segment FROM {o} o JOIN {c} c ON o.cust = c.id ORDER BY o.amount DESC, o.id LIMIT 15",
            "SELECT c.segment, count(DISTINCT o.cust) AS custs FROM {o} o JOIN {c} c ON o.cust = c.id GROUP BY c.segment ORDER BY 1",
        ];
        foreach (var query in queries)
        {
            var answer = await sql.QueryAsync(new SqlRequest(cluster.Named(query)));
            AssertRows(await DuckDb.QueryAsync(cluster.Files(query)), answer, ordered: true);
        }

        var plan = await sql.QueryAsync(new SqlRequest(cluster.Named("EXPLAIN SELECT c.segment, sum(o.amount) FROM {c} c JOIN {o} o ON o.cust = c.id GROUP BY c.segment")));
        var steps = JsonDocument.Parse(plan.RowsJson).RootElement.EnumerateArray().Select(r => r.GetProperty("step").GetString()!).ToList();
        Assert.Contains(steps, s => s.StartsWith($"c: SELECT id, segment FROM \"{cluster.Customers}\"@1 in its 2 partition grain(s), each writing its rows to the store split by a hash of the join keys", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith($"{cluster.Orders} v1: its 4 partition grains", StringComparison.Ordinal) && s.Contains("each bucket of both is joined in its own grain", StringComparison.Ordinal));
        await AssertNoExchangeFilesAsync();
    }

    [Fact]
    public async Task ManyGroupsAreMergedBucketByBucketAnsweredPagedAndWritten()
    {
        var sql = cluster.Grains.GetGrain<ISqlGrain>(0);
        const string grouped = "SELECT cust, count(*) AS n, sum(amount) AS s, max(id) AS m FROM {o} GROUP BY cust HAVING count(*) > 12";
        var answer = await sql.QueryAsync(new SqlRequest(cluster.Named(grouped)));
        var expected = await DuckDb.QueryAsync(cluster.Files(grouped));
        Assert.True(expected.Length > 1_000, $"{expected.Length} groups");
        AssertRows(expected, answer, ordered: false);
        Assert.False(answer.Truncated);

        var cut = await sql.QueryAsync(new SqlRequest(cluster.Named(grouped), MaxRows: 100));
        Assert.True(cut.Truncated);
        Assert.Equal(100, cut.RowCount);

        var id = $"q-{Guid.NewGuid():N}";
        var first = await sql.QueryAsync(new SqlRequest(cluster.Named(grouped), MaxRows: 500, Id: id, Pages: true));
        Assert.Equal(expected.Length, first.TotalRows);
        var pages = new List<JsonElement>();
        for (long offset = 0; offset < first.TotalRows; offset += 700)
        {
            pages.AddRange(JsonDocument.Parse((await sql.ReadPageAsync(id, offset, 700)).RowsJson).RootElement.EnumerateArray());
        }

        AssertRows(expected, pages, ordered: false);
        Assert.True(await sql.StopAsync(id));

        var into = DatasetClusterFixture.NewName();
        var written = await sql.QueryAsync(new SqlRequest(cluster.Named(grouped), Into: into));
        Assert.Equal(expected.Length, written.Written);
        Assert.True(written.Partitions >= 4, $"{written.Partitions} parts"); // one part per bucket (at least one per partition), written where the bucket merged
        var back = await sql.QueryAsync(new SqlRequest($"SELECT * FROM \"{into}\""));
        AssertRows(expected, back, ordered: false);

        var joined = DatasetClusterFixture.NewName();
        const string join = "SELECT o.id, o.amount, c.segment FROM {o} o JOIN {c} c ON o.cust = c.id WHERE o.amount < 30";
        var joinWritten = await sql.QueryAsync(new SqlRequest(cluster.Named(join), Into: joined));
        var joinExpected = await DuckDb.QueryAsync(cluster.Files(join));
        Assert.Equal(joinExpected.Length, joinWritten.Written);
        AssertRows(joinExpected, await sql.QueryAsync(new SqlRequest($"SELECT * FROM \"{joined}\"", MaxRows: 100_000)), ordered: false);
        await AssertNoExchangeFilesAsync();
    }

    [Fact]
    public async Task ExactQuantilesExchangeTheirValuesByGroupAndAgreeWithDuckDb()
    {
        // 30,000 values at 8 bytes pass a quarter of the 16 KiB merge budget: every partition writes its states to the store by group.
        var sql = cluster.Grains.GetGrain<ISqlGrain>(0);
        string[] queries =
        [
            "SELECT cust % 7 AS g, median(amount) AS p50, quantile_cont(amount, 0.9) AS p90, quantile_disc(id, 0.25) AS q1, count(*) AS n FROM {o} GROUP BY g ORDER BY g",
            "SELECT cust, median(amount) AS p50, sum(amount) AS s FROM {o} WHERE cust IS NOT NULL GROUP BY cust HAVING count(*) > 14 ORDER BY p50 DESC, cust LIMIT 25 OFFSET 5",
            "SELECT c.segment, median(o.amount) AS p50, count(DISTINCT o.cust) AS custs FROM {o} o JOIN {c} c ON o.cust = c.id GROUP BY c.segment ORDER BY c.segment",
            "SELECT DISTINCT median(amount) > 50 AS high FROM {o} GROUP BY cust ORDER BY high",
        ];
        foreach (var query in queries)
        {
            AssertRows(await DuckDb.QueryAsync(cluster.Files(query)), await sql.QueryAsync(new SqlRequest(cluster.Named(query))), ordered: true);
        }

        var plan = await sql.QueryAsync(new SqlRequest(cluster.Named("EXPLAIN " + queries[0])));
        Assert.Contains("each partition grain writes its partial aggregates to the store split by a hash of the group keys", plan.RowsJson, StringComparison.Ordinal);

        // Written as a dataset in the order asked, through the coordinator.
        var into = DatasetClusterFixture.NewName();
        Assert.Equal(8, (await sql.QueryAsync(new SqlRequest(cluster.Named(queries[0]), Into: into))).Written); // 7 remainders and null
        AssertRows(await DuckDb.QueryAsync(cluster.Files(queries[0])), await sql.QueryAsync(new SqlRequest($"SELECT * FROM \"{into}\" ORDER BY g")), ordered: true);
        await AssertNoExchangeFilesAsync();
    }

    [Fact]
    public async Task ManyGroupsInOrderAreMergedBucketByBucketThenOrdered()
    {
        // Over 16 KiB of groups with ORDER BY and LIMIT: merged by bucket, each bucket's best rows put in order at the coordinator.
        var sql = cluster.Grains.GetGrain<ISqlGrain>(0);
        const string top = "SELECT cust, count(*) AS n, sum(amount) AS s FROM {o} GROUP BY cust ORDER BY s DESC, cust NULLS FIRST LIMIT 12";
        AssertRows(await DuckDb.QueryAsync(cluster.Files(top)), await sql.QueryAsync(new SqlRequest(cluster.Named(top))), ordered: true);
        const string distinct = "SELECT DISTINCT count(*) AS n FROM {o} GROUP BY cust ORDER BY n";
        AssertRows(await DuckDb.QueryAsync(cluster.Files(distinct)), await sql.QueryAsync(new SqlRequest(cluster.Named(distinct))), ordered: true);
        await AssertNoExchangeFilesAsync();
    }

    [Fact]
    public async Task ABucketPastTheBudgetIsAClearErrorAndLeavesNoFiles()
    {
        var sql = cluster.Grains.GetGrain<ISqlGrain>(0);
        // One key value for every row: the whole of both sides (6 columns of 30,000 rows, 1.4 MB) in one bucket, over the 1 MiB budget.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sql.QueryAsync(new SqlRequest(cluster.Named(
            "SELECT count(*) FROM {o} a JOIN {o} b ON a.cust * 0 = b.cust * 0 WHERE a.id + b.id + a.amount + b.amount > 0"))));
        Assert.Contains("join or group on more keys, or filter first", error.Message, StringComparison.Ordinal);
        await AssertNoExchangeFilesAsync();
    }

    private async Task AssertNoExchangeFilesAsync()
    {
        var left = new List<string>();
        await foreach (var file in cluster.Store.ListAsync(SqlResultFiles.Folder))
        {
            if (file.Path.Contains("/exchange/", StringComparison.Ordinal))
            {
                left.Add(file.Path);
            }
        }

        Assert.Empty(left);
    }

    private static void AssertRows(JsonElement[] expected, SqlResult actual, bool ordered) =>
        AssertRows(expected, [.. JsonDocument.Parse(actual.RowsJson).RootElement.EnumerateArray()], ordered);

    private static void AssertRows(JsonElement[] expected, IReadOnlyList<JsonElement> actual, bool ordered)
    {
        var want = expected.Select(Row).ToList();
        var got = actual.Select(Row).ToList();
        if (!ordered)
        {
            want.Sort(StringComparer.Ordinal);
            got.Sort(StringComparer.Ordinal);
        }

        Assert.Equal(want.Count, got.Count);
        for (var r = 0; r < want.Count; r++)
        {
            Assert.True(want[r] == got[r], $"row {r}: DuckDB [{want[r]}], platform [{got[r]}]");
        }
    }

    private static string Row(JsonElement row) => string.Join(", ", row.EnumerateObject().Select(p => p.Value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => p.Value.GetDouble().ToString("G9", CultureInfo.InvariantCulture),
        _ => p.Value.ToString(),
    }));

    /// <summary>
    /// Three silos that exchange every join of two datasets and merge by bucket past 16 KiB of groups, with
    /// orders (30,000 rows, 4 partitions), customers (2,000, 2 partitions) and segments (5 rows) imported.
    /// </summary>
    public sealed class ExchangeCluster : IAsyncLifetime
    {
        private LocalCluster _local = null!;
        private readonly Dictionary<string, (string Name, string Path)> _tables = [];

        public IGrainFactory Grains => _local.Cluster.Client;

        public IArtifactStore Store => _local.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

        public string Orders => _tables["o"].Name;

        public string Customers => _tables["c"].Name;

        public async Task InitializeAsync()
        {
            _local = await LocalCluster.StartAsync(silos: 3, options =>
            {
                options.Sql.BroadcastBytes = 0;
                options.Sql.MergeBytes = 16 << 10;
                options.Sql.QueryBytes = 1 << 20;
            });
            var folder = Path.Combine(_local.DataDirectory, "imports");
            Directory.CreateDirectory(folder);
            (string Key, string Select, int Partitions)[] tables =
            [
                ("o", "SELECT i AS id, CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7919) % 2100 END AS cust, (i * 37 % 1000) / 10.0 AS amount FROM range(30000) t(i)", 4),
                ("c", "SELECT i AS id, 'seg' || (i % 5) AS segment FROM range(2000) t(i)", 2),
                ("s", "SELECT 'seg' || i AS segment, CASE WHEN i < 2 THEN 'low' ELSE 'high' END AS label FROM range(5) t(i)", 1),
            ];
            foreach (var (key, select, partitions) in tables)
            {
                var name = DatasetClusterFixture.NewName();
                var path = Path.Combine(folder, $"{name}.parquet");
                await DuckDb.QueryAsync($"COPY ({select}) TO {DuckDb.Quote(path)} (FORMAT parquet)");
                var grain = Grains.GetGrain<IDatasetGrain>(name);
                var import = await DatasetClusterFixture.WaitAsync(grain, await grain.StartImportAsync(new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: partitions))));
                Assert.Equal(DatasetOperation.Succeeded, import.State);
                _tables[key] = (name, path);
            }
        }

        public async Task DisposeAsync() => await _local.DisposeAsync();

        /// <summary>The query over the datasets.</summary>
        public string Named(string query) => Replace(query, t => $"\"{t.Name}\"");

        /// <summary>The query over the files the datasets were imported from, for DuckDB.</summary>
        public string Files(string query) => Replace(query, t => DuckDb.Quote(t.Path));

        private string Replace(string query, Func<(string Name, string Path), string> table) =>
            _tables.Aggregate(query, (text, t) => text.Replace("{" + t.Key + "}", table(t.Value), StringComparison.Ordinal));
    }
}
