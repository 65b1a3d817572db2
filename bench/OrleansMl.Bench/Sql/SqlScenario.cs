using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Sql;

/// <summary>
/// Queries over a generated orders table (quick: 2M rows, full: 10M; keys, numbers, categories and a
/// ship date), a customers table of 100,000 rows and a lineitem table of 1.5 rows per order (joined to
/// orders by a hash exchange: the orders' columns it reads are past the 64 MiB broadcast limit),
/// imported as datasets of 4, 2 and 4 partitions into
/// the embedded silo, against DuckDB on the same Parquet files on the same cores (timed inside its own
/// process): warm (the platform's partitions cached, DuckDB's tables in memory) and cold (every
/// partition grain deactivated before the query, so it reloads its rows from the store; DuckDB
/// reading the Parquet files in place). The first five queries run again on a test cluster of one and of
/// two silos in this process: two against one.
/// </summary>
internal static class SqlScenario
{
    /// <summary>The first queries (Q6, Q1, many groups, top-k, Q3) also run on one and on two silos of a test cluster.</summary>
    private const int SiloQueries = 5;

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
        ("join of two large datasets (hash exchange)", "SELECT o.status, l.returnflag, count(*) AS n, sum(l.extendedprice) AS revenue FROM lineitem l JOIN orders o ON l.orderkey = o.orderkey WHERE o.shipday < 1500 GROUP BY o.status, l.returnflag ORDER BY o.status, l.returnflag"),
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

        var lineitemParquet = Path.Combine(Path.GetTempPath(), $"orleansml-bench-lineitem-{rows}.parquet");
        if (!File.Exists(lineitemParquet))
        {
            await DuckDb.QueryAsync($"""
                COPY (SELECT (hash(i * 23) % {rows})::BIGINT AS orderkey, ['A', 'N', 'R'][1 + (hash(i * 29) % 3)::BIGINT] AS returnflag, (hash(i * 31) % 1000000)::BIGINT / 100.0 AS extendedprice
                      FROM range({rows * 3 / 2}) t(i)) TO {DuckDb.Quote(lineitemParquet)} (FORMAT parquet)
                """);
        }

        var dataset = await ImportAsync(grains, "orders", parquet, 4);
        var customers = await ImportAsync(grains, "customers", customersParquet, 2);
        string? lineitem = null; // imported before the one query that reads it, so its 3M cached rows do not weigh on the others' garbage collections
        var duckDb = await DuckDb.TimeAsync(
            $"CREATE TABLE orders AS SELECT * FROM {DuckDb.Quote(parquet)}; CREATE TABLE customers AS SELECT * FROM {DuckDb.Quote(customersParquet)}; CREATE TABLE lineitem AS SELECT * FROM {DuckDb.Quote(lineitemParquet)}",
            [.. Queries.Select(q => q.Query)], settings.Repetitions);
        // Cold: DuckDB reads the Parquet files in place for every query; every partition grain is deactivated (its cached rows dropped) before each platform run.
        var duckDbCold = await DuckDb.TimeAsync(
            "", [.. Queries.Select(q => q.Query.Replace("FROM orders", $"FROM read_parquet({DuckDb.Quote(parquet)})", StringComparison.Ordinal).Replace("JOIN customers", $"JOIN read_parquet({DuckDb.Quote(customersParquet)})", StringComparison.Ordinal)
            .Replace("JOIN orders", $"JOIN read_parquet({DuckDb.Quote(parquet)})", StringComparison.Ordinal).Replace("FROM lineitem", $"FROM read_parquet({DuckDb.Quote(lineitemParquet)})", StringComparison.Ordinal))], settings.Repetitions);
        var results = new List<BenchResult>();
        for (var q = 0; q < Queries.Length; q++)
        {
            if (Queries[q].Query.Contains("lineitem", StringComparison.Ordinal))
            {
                lineitem ??= await ImportAsync(grains, "lineitem", lineitemParquet, 4);
            }

            var text = Queries[q].Query.Replace("FROM orders", $"FROM \"{dataset}\"", StringComparison.Ordinal).Replace("JOIN customers", $"JOIN \"{customers}\"", StringComparison.Ordinal)
                .Replace("JOIN orders", $"JOIN \"{dataset}\"", StringComparison.Ordinal).Replace("FROM lineitem", $"FROM \"{lineitem}\"", StringComparison.Ordinal);
            double[] warm, cold;
            try
            {
                (warm, cold) = await MeasureAsync(grains, text, settings.Repetitions);
            }
            catch (ArgumentException e)
            {
                // A query the platform refuses at this size (a 4xx to a user) is reported, and the other queries still run.
                Console.Error.WriteLine($"SQL {Queries[q].Name}: refused at {rows:N0} rows: {e.Message}");
                continue;
            }

            var note = $"{rows:N0} orders in 4 partitions on 1 silo; DuckDB on all {Environment.ProcessorCount} cores";
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, warm", "DuckDB, in-memory table", "s", false, warm, duckDb[q], note));
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, cold", "DuckDB, read_parquet", "s", false, cold, duckDbCold[q], note + "; partitions reloaded from the store"));
        }

        // The first queries on one and on two silos of a test cluster in this process (sharing its cores): what spreading the partitions over silos costs.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero); // the embedded silo's cached rows dropped
        var bySilos = new List<(double[] Warm, double[] Cold)>[2];
        for (var silos = 1; silos <= 2; silos++)
        {
            bySilos[silos - 1] = [];
            await using var cluster = await LocalCluster.StartAsync(silos, o => o.Datasets.ImportRoots = [Path.GetTempPath()]);
            var clusterGrains = cluster.Cluster.Client;
            var clusterOrders = await ImportAsync(clusterGrains, "orders", parquet, 4);
            var clusterCustomers = await ImportAsync(clusterGrains, "customers", customersParquet, 2);
            for (var q = 0; q < SiloQueries; q++)
            {
                var text = Queries[q].Query.Replace("FROM orders", $"FROM \"{clusterOrders}\"", StringComparison.Ordinal).Replace("JOIN customers", $"JOIN \"{clusterCustomers}\"", StringComparison.Ordinal);
                bySilos[silos - 1].Add(await MeasureAsync(clusterGrains, text, settings.Repetitions));
            }
        }

        for (var q = 0; q < SiloQueries; q++)
        {
            var note = $"{rows:N0} orders in 4 partitions over 2 silos of an in-process test cluster, against 1 silo of the same kind, on the same {Environment.ProcessorCount} cores";
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, 2 silos, warm", "1 silo, warm", "s", false, bySilos[1][q].Warm, bySilos[0][q].Warm, note));
            results.Add(BenchResult.FromSamples($"SQL {Queries[q].Name}, 2 silos, cold", "1 silo, cold", "s", false, bySilos[1][q].Cold, bySilos[0][q].Cold, note));
        }

        return [.. results];
    }

    /// <summary>A query's times warm (after runs that load the partitions) and cold (every grain deactivated before each run, after one untimed cold run).</summary>
    private static async Task<(double[] Warm, double[] Cold)> MeasureAsync(IGrainFactory grains, string text, int repetitions)
    {
        var sql = grains.GetGrain<ISqlGrain>(0);
        await sql.QueryAsync(new SqlRequest(text)); // warm: partitions loaded, code jitted
        await Task.Delay(TimeSpan.FromSeconds(1)); // activations the last cold run asked to go may still be going: load again after them
        await sql.QueryAsync(new SqlRequest(text));
        var warm = new double[repetitions];
        var cold = new double[repetitions];
        for (var rep = 0; rep < repetitions; rep++)
        {
            warm[rep] = await TimeAsync(sql, text);
        }

        // Cold: once untimed first, as DuckDB's timing runs each query once untimed (the cold path's own code jitted).
        var management = grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        await sql.QueryAsync(new SqlRequest(text));
        for (var rep = 0; rep < repetitions; rep++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            cold[rep] = await TimeAsync(sql, text);
        }

        return (warm, cold);
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
