using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Sql;

/// <summary>
/// Queries over a generated orders table (quick: 2M rows, full: 10M; keys, numbers, categories and a
/// ship date) and a customers table of 100,000 rows, imported as datasets of 4 and 2 partitions into
/// the embedded silo, against DuckDB on the same Parquet files on the same cores (timed inside its own
/// process): warm (the platform's partitions cached, DuckDB's tables in memory) and cold (every
/// partition grain deactivated before the query, so it reloads its rows from the store; DuckDB
/// reading the Parquet files in place).
/// </summary>
internal static class SqlScenario
{
    private static readonly (string Name, string Query)[] Queries =
    [
        ("filtered aggregate (TPC-H Q6 shape)", "SELECT sum(price * discount) AS revenue FROM orders WHERE shipday >= 365 AND shipday < 730 AND discount BETWEEN 0.05 AND 0.07 AND quantity < 24"),
        ("grouped aggregate (Q1 shape)", "SELECT status, priority, sum(quantity) AS q, sum(price) AS p, avg(discount) AS d, count(*) AS n FROM orders WHERE shipday <= 2400 GROUP BY status, priority ORDER BY status, priority"),
        ("100,000 groups, top 10", "SELECT custkey, sum(price) AS spent FROM orders GROUP BY custkey ORDER BY spent DESC, custkey LIMIT 10"),
        ("top-k: ORDER BY ... LIMIT 10", "SELECT orderkey, price FROM orders ORDER BY price DESC, orderkey LIMIT 10"),
        ("join + group by (Q3 shape)", "SELECT c.nation, count(*) AS n, sum(o.price * (1 - o.discount)) AS revenue FROM orders o JOIN customers c ON o.custkey = c.custkey WHERE c.segment = 'BUILDING' AND o.shipday < 1200 GROUP BY c.nation ORDER BY revenue DESC LIMIT 10"),
        ("window: each customer's largest order", "SELECT count(*) AS n, sum(price) AS p FROM (SELECT custkey, price, row_number() OVER (PARTITION BY custkey ORDER BY price DESC, orderkey) AS rn FROM orders WHERE shipday < 200) t WHERE rn = 1"),
        ("approx_count_distinct, exact median", "SELECT status, approx_count_distinct(custkey) AS customers, median(price) AS p50 FROM orders GROUP BY status ORDER BY status"),
        ("range of the sort key (partitions pruned)", "SELECT count(*) AS n, sum(price) AS p FROM orders WHERE orderkey BETWEEN 100000 AND 199999"),
    ];

    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var rows = settings.Name == "quick" ? 2_000_000 : 10_000_000;
        var parquet = Path.Combine(Path.GetTempPath(), $"orleansml-bench-orders-{rows}.parquet");
        if (!File.Exists(parquet))
        {
            await DuckDb.QueryAsync($"""
                COPY (SELECT i AS orderkey, (hash(i) % 100000)::BIGINT AS custkey, ['F', 'O', 'P'][1 + i % 3] AS status, ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'][1 + (hash(i * 7) % 5)::BIGINT] AS priority,
                             (1 + hash(i * 3) % 50)::DOUBLE AS quantity, (hash(i * 5) % 10000000)::BIGINT / 100.0 AS price, (hash(i * 11) % 11)::BIGINT / 100.0 AS discount, (hash(i * 13) % 2557)::BIGINT AS shipday
                      FROM range({rows}) t(i)) TO {DuckDb.Quote(parquet)} (FORMAT parquet)
                """);
        }

        var customersParquet = Path.Combine(Path.GetTempPath(), "orleansml-bench-customers-100000.parquet");
        if (!File.Exists(customersParquet))
        {
            await DuckDb.QueryAsync($"""
                COPY (SELECT i AS custkey, ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'][1 + (hash(i * 17) % 5)::BIGINT] AS segment, 'nation' || (hash(i * 19) % 25) AS nation
                      FROM range(100000) t(i)) TO {DuckDb.Quote(customersParquet)} (FORMAT parquet)
                """);
        }

        var dataset = await ImportAsync(grains, "orders", parquet, 4);
        var customers = await ImportAsync(grains, "customers", customersParquet, 2);
        var sql = grains.GetGrain<ISqlGrain>(0);
        var duckDb = await DuckDb.TimeAsync(
            $"CREATE TABLE orders AS SELECT * FROM {DuckDb.Quote(parquet)}; CREATE TABLE customers AS SELECT * FROM {DuckDb.Quote(customersParquet)}", [.. Queries.Select(q => q.Query)], settings.Repetitions);
        // Cold: DuckDB reads the Parquet files in place for every query; every partition grain is deactivated (its cached rows dropped) before each platform run.
        var duckDbCold = await DuckDb.TimeAsync(
            "", [.. Queries.Select(q => q.Query.Replace("FROM orders", $"FROM read_parquet({DuckDb.Quote(parquet)})", StringComparison.Ordinal).Replace("JOIN customers", $"JOIN read_parquet({DuckDb.Quote(customersParquet)})", StringComparison.Ordinal))], settings.Repetitions);
        var management = grains.GetGrain<IManagementGrain>(0);
        var results = new List<BenchResult>();
        for (var q = 0; q < Queries.Length; q++)
        {
            var text = Queries[q].Query.Replace("FROM orders", $"FROM \"{dataset}\"", StringComparison.Ordinal).Replace("JOIN customers", $"JOIN \"{customers}\"", StringComparison.Ordinal);
            await sql.QueryAsync(new SqlRequest(text)); // warm: partitions loaded, code jitted
            var warm = new double[settings.Repetitions];
            var cold = new double[settings.Repetitions];
            for (var rep = 0; rep < settings.Repetitions; rep++)
            {
                warm[rep] = await TimeAsync(sql, text);
            }

            for (var rep = 0; rep < settings.Repetitions; rep++)
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                cold[rep] = await TimeAsync(sql, text);
            }

            var note = $"{rows:N0} orders in 4 partitions on 1 silo; DuckDB on all {Environment.ProcessorCount} cores";
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, warm", "DuckDB, in-memory table", "s", false, warm, duckDb[q], note));
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, cold", "DuckDB, read_parquet", "s", false, cold, duckDbCold[q], note + "; partitions reloaded from the store"));
        }

        return [.. results];
    }

    private static async Task<double> TimeAsync(ISqlGrain sql, string text)
    {
        var watch = Stopwatch.StartNew();
        await sql.QueryAsync(new SqlRequest(text));
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<string> ImportAsync(IGrainFactory grains, string prefix, string parquet, int partitions)
    {
        var dataset = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 12)];
        var grain = grains.GetGrain<IDatasetGrain>(dataset);
        var import = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(new DatasetSource(parquet), Options: new ImportOptions(Partitions: partitions)))).Id, TimeSpan.FromMinutes(20));
        return import?.State == DatasetOperation.Succeeded ? dataset : throw new InvalidOperationException($"The {prefix} import ended {import?.State}: {import?.Error}");
    }
}
