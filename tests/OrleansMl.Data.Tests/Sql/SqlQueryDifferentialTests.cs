using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>
/// Every query runs twice: through <see cref="SqlQuery"/>'s two stages over three uneven partitions,
/// and in DuckDB over the same rows written as CSV. The answers must agree value for value (floats to
/// 1e-9 relative), in order when the query orders, as a multiset when it does not.
/// </summary>
public sealed class SqlQueryDifferentialTests : IDisposable
{
    private const int Rows = 2_000;
    private static readonly DatasetSchema Schema = new(
    [
        new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("g", ColumnType.Categorical), new ColumnSchema("h", ColumnType.String),
        new ColumnSchema("x", ColumnType.Float64), new ColumnSchema("n", ColumnType.Int64), new ColumnSchema("flag", ColumnType.Boolean),
    ]);

    private readonly string _csv = Path.Combine(Path.GetTempPath(), $"orleansml-sql-{Guid.NewGuid():N}.csv");
    private readonly ColumnBatch _rows;

    public SqlQueryDifferentialTests()
    {
        var random = new Random(7);
        var ids = new long[Rows];
        var g = new string?[Rows];
        var h = new string?[Rows];
        var x = new double[Rows];
        var n = new long[Rows];
        var flags = new bool[Rows];
        var xNulls = new NullMask(Rows);
        var nNulls = new NullMask(Rows);
        var csv = new StringBuilder("id,g,h,x,n,flag\n");
        for (var i = 0; i < Rows; i++)
        {
            ids[i] = (i * 7919L) % Rows - 500; // a permutation, some negative
            g[i] = random.Next(12) == 0 ? null : $"g{random.Next(5)}";
            h[i] = random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" };
            x[i] = Math.Round(random.NextDouble() * 10 - 2, 6);
            n[i] = random.Next(-1000, 1000);
            flags[i] = random.Next(2) == 0;
            if (random.Next(10) == 0)
            {
                xNulls.SetNull(i);
            }

            if (random.Next(15) == 0)
            {
                nNulls.SetNull(i);
            }

            csv.Append(CultureInfo.InvariantCulture, $"{ids[i]},{g[i]},{h[i]},{(xNulls[i] ? "" : x[i].ToString("R", CultureInfo.InvariantCulture))},{(nNulls[i] ? "" : n[i])},{(flags[i] ? "true" : "false")}\n");
        }

        File.WriteAllText(_csv, csv.ToString());
        _rows = new ColumnBatch(Schema,
        [
            new Int64Column(Schema[0], ids), new StringColumn(Schema[1], g), new StringColumn(Schema[2], h),
            new Float64Column(Schema[3], x, xNulls), new Int64Column(Schema[4], n, nNulls), new BooleanColumn(Schema[5], flags),
        ]);
    }

    public void Dispose() => File.Delete(_csv);

    [Theory]
    [InlineData("SELECT g, count(*) AS c, count(x) AS cx, sum(n) AS sn, avg(x) AS ax, min(x) AS mi, max(h) AS mh FROM t GROUP BY g")]
    [InlineData("SELECT g, h, stddev(x) AS s, var_pop(x) AS v, variance(n) AS vn, stddev_pop(n) AS sp FROM t WHERE flag GROUP BY g, h HAVING count(*) > 5")]
    [InlineData("SELECT id, x * 2 AS y FROM t WHERE x > 0.5 ORDER BY x DESC, id LIMIT 17 OFFSET 3")]
    [InlineData("SELECT DISTINCT g, h FROM t")]
    [InlineData("SELECT count(*) AS c, sum(x) AS s, min(h) AS m FROM t WHERE id < -10000")]
    [InlineData("SELECT g, count(*) AS c FROM t GROUP BY g ORDER BY c DESC, g NULLS FIRST")]
    [InlineData("SELECT * FROM t ORDER BY id LIMIT 5")]
    [InlineData("SELECT n % 3 AS m, avg(n) AS a, sum(x) AS s FROM t GROUP BY n % 3 ORDER BY m NULLS FIRST")]
    [InlineData("SELECT g AS k, max(x) - min(x) AS r, count(*) * 2 + 1 AS c2 FROM t GROUP BY k ORDER BY 1")]
    [InlineData("SELECT id, n FROM t WHERE g IS NULL AND n BETWEEN -100 AND 400 ORDER BY n DESC, id")]
    [InlineData("SELECT count(*) AS c FROM t")]
    [InlineData("SELECT h, g, count(*) AS c, avg(n) AS a FROM t WHERE x IS NOT NULL GROUP BY h, g HAVING avg(n) > -50 ORDER BY a DESC")]
    [InlineData("SELECT id, x FROM t WHERE h IN ('a', 'c') AND x < 0 ORDER BY x, id")]
    [InlineData("SELECT DISTINCT h FROM t ORDER BY h DESC")]
    [InlineData("SELECT id FROM t ORDER BY n NULLS FIRST, id LIMIT 40")]
    [InlineData("SELECT n, count(*) AS c, sum(x) AS s FROM t GROUP BY n")]
    [InlineData("SELECT x, count(*) AS c FROM t GROUP BY x")]
    [InlineData("SELECT id * 1000000000 AS big, count(*) AS c FROM t GROUP BY id * 1000000000")]
    [InlineData("SELECT g, h, n % 7 AS m, flag, count(*) AS c, max(id) AS top FROM t GROUP BY g, h, n % 7, flag")]
    [InlineData("SELECT id, x FROM t WHERE flag ORDER BY x DESC NULLS FIRST, id LIMIT 30")]
    [InlineData("SELECT id, x FROM t ORDER BY x NULLS FIRST, id DESC LIMIT 25 OFFSET 150")]
    [InlineData("SELECT count(*) AS c FROM t WHERE flag")]
    [InlineData("SELECT g, count(*) AS c FROM t WHERE g LIKE 'g_' AND g NOT LIKE '%3' GROUP BY g")]
    [InlineData("SELECT h, count(*) AS c FROM t WHERE h ILIKE 'A' OR h LIKE '%c%' GROUP BY h")]
    [InlineData("SELECT id FROM t WHERE g NOT ILIKE 'G1%' ORDER BY id LIMIT 20")]
    [InlineData("SELECT count(*) AS c FROM t WHERE g LIKE '%' AND h LIKE '_'")]
    [InlineData("SELECT id, CASE WHEN x > 5 THEN 'high' WHEN x > 0 THEN 'low' ELSE 'neg' END AS b FROM t ORDER BY id LIMIT 60")]
    [InlineData("SELECT CASE g WHEN 'g1' THEN 1 WHEN 'g2' THEN 2 END AS c, count(*) AS n FROM t GROUP BY 1")]
    [InlineData("SELECT sum(CASE WHEN flag THEN x ELSE 0 END) AS s, count(CASE WHEN n > 0 THEN 1 END) AS c, max(CASE WHEN h = 'a' THEN g END) AS m FROM t")]
    [InlineData("SELECT id, CASE WHEN n IS NULL THEN NULL ELSE n * 2.5 END AS y, CASE WHEN flag THEN n END AS z FROM t WHERE id < -400 ORDER BY id")]
    [InlineData("SELECT h, count(*) AS c FROM t WHERE CASE WHEN g IS NULL THEN flag ELSE x > 3 END GROUP BY h")]
    [InlineData("SELECT id, CAST(x AS BIGINT) AS i, CAST(n AS DOUBLE) / 4 AS f, CAST(flag AS INTEGER) AS b, CAST(n AS VARCHAR) AS s, TRY_CAST(h AS BIGINT) AS bad FROM t ORDER BY id LIMIT 80")]
    [InlineData("SELECT sum(CAST(flag AS BIGINT)) AS s, avg(CAST(CAST(n AS VARCHAR) AS BIGINT)) AS a, count(TRY_CAST(g AS DOUBLE)) AS c FROM t")]
    [InlineData("SELECT CAST(x * 10 AS INT) % 7 AS k, count(*) AS c FROM t WHERE x IS NOT NULL GROUP BY 1")]
    [InlineData("SELECT g, count(*) AS c, min(x) AS mi, max(h) AS mh, var_pop(x) AS v, avg(x) AS a, count(DISTINCT h) AS dh FROM t WHERE n > -900 GROUP BY g")]
    [InlineData("SELECT h, flag, count(x) AS c, sum(x) AS s FROM t WHERE id > -400 GROUP BY h, flag HAVING count(*) > 100")]
    [InlineData("SELECT count(*) AS c, sum(n) AS s, max(x) AS m FROM t WHERE x IS NOT NULL OR n IS NULL")]
    [InlineData("SELECT id, substring(g, 2) AS a, substring(g, 1, 1) AS b, left(h, 1) AS c, right(g, 1) AS d, concat(g, '-', h, n) AS e, strpos(g, '3') AS f, replace(g, 'g', 'G') AS r, substring(g, -1) AS s FROM t ORDER BY id LIMIT 60")]
    [InlineData("SELECT starts_with(g, 'g1') AS s, ends_with(g, '2') AS e, contains(h, 'b') AS c, count(*) AS n FROM t GROUP BY 1, 2, 3")]
    [InlineData("SELECT trim(concat('  ', h, ' ')) AS t, ltrim(concat(' ', h)) AS l, rtrim(concat(h, '  ')) AS r, count(*) AS n FROM t GROUP BY 1, 2, 3")]
    [InlineData("SELECT g, h, count(*) AS n FROM t WHERE contains(concat(g, h), '1a') OR left(g, 2) = 'g4' GROUP BY g, h")]
    [InlineData("SELECT g, count(DISTINCT h) AS dh, count(*) AS c, sum(x) AS s, stddev(n) AS sd FROM t GROUP BY g")]
    [InlineData("SELECT count(DISTINCT n) AS dn, sum(DISTINCT n) AS sn, avg(DISTINCT n) AS an, max(DISTINCT n) AS mn, count(*) AS c FROM t")]
    [InlineData("SELECT count(DISTINCT g) AS dg, count(*) AS c FROM t WHERE id < -10000")]
    [InlineData("SELECT h, count(DISTINCT x) AS dx FROM t GROUP BY h HAVING count(DISTINCT x) > 10 ORDER BY h")]
    [InlineData("SELECT flag, count(DISTINCT n % 10) AS d, count(n) AS c FROM t GROUP BY flag ORDER BY d, flag")]
    [InlineData("SELECT g, median(x) AS m, median(n) AS mn, quantile_cont(x, 0.25) AS q1, quantile_cont(n, 0.9) AS q9, quantile_disc(n, 0.5) AS d5, quantile_disc(x, 0) AS d0, quantile(n, 1) AS d1 FROM t GROUP BY g")]
    [InlineData("SELECT median(x) AS m, quantile_disc(id, 0.75) AS d, count(*) AS c FROM t WHERE id < -10000")]
    [InlineData("SELECT median(x) AS m, quantile_cont(x, 0.999) AS top, quantile_disc(flag, 0.5) AS f FROM t WHERE x IS NULL OR x > 3")]
    public async Task AgreesWithDuckDb(string query)
    {
        var expected = await DuckDb.QueryAsync($"WITH t AS (SELECT * FROM read_csv({DuckDb.Quote(_csv)}, header = true, columns = {{'id': 'BIGINT', 'g': 'VARCHAR', 'h': 'VARCHAR', 'x': 'DOUBLE', 'n': 'BIGINT', 'flag': 'BOOLEAN'}})) {query}");
        var (actual, truncated) = Run(query);

        Assert.False(truncated);
        SqlAnswers.AssertSame(expected, actual, ordered: query.Contains("ORDER BY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApproximateAggregatesAreExactForFewValuesAndWithinTwoPercentForMany()
    {
        var expected = await DuckDb.QueryAsync($"SELECT h, count(DISTINCT n) AS dn, count(DISTINCT g) AS dg FROM read_csv({DuckDb.Quote(_csv)}, header = true) GROUP BY h ORDER BY h");
        var (actual, _) = Run("SELECT h, approx_count_distinct(n) AS dn, approx_count_distinct(g) AS dg FROM t GROUP BY h ORDER BY h");
        SqlAnswers.AssertSame(expected, actual, ordered: true);

        var many = new Int64Column(new ColumnSchema("v", ColumnType.Int64), [.. Enumerable.Range(0, 300_000).Select(i => (long)(i % 123_457) * 7919)]);
        var table = new ColumnBatch([many]);
        const string text = "SELECT approx_count_distinct(v) AS d, approx_quantile(v, 0.5) AS m, approx_quantile(v, 0.9) AS p9 FROM t";
        var plan = SqlQuery.Plan(text, SqlQuery.Parse(text), table.Schema, 10);
        var (rows, _) = plan.Finish([plan.RunPartition(table.Slice(0, 100_000)), plan.RunPartition(table.Slice(100_000, 200_000))]);
        Assert.InRange((long)rows[0].GetValue(0)!, 123_457 * 0.98, 123_457 * 1.02);

        // Within 2% of rank of the exact quantiles, and integers like v.
        var sorted = many.Values.ToArray();
        Array.Sort(sorted);
        double Rank(long value) => (double)Array.FindLastIndex(sorted, v => v <= value) / sorted.Length;
        Assert.InRange(Rank((long)rows[1].GetValue(0)!), 0.48, 0.52);
        Assert.InRange(Rank((long)rows[2].GetValue(0)!), 0.88, 0.92);
    }

    [Fact]
    public void VectorAggregatesWorkElementByElementAcrossPartitions()
    {
        const int rows = 900;
        var random = new Random(3);
        var values = new float[rows * 3];
        var nulls = new NullMask(rows);
        var groups = new long[rows];
        for (var r = 0; r < rows; r++)
        {
            groups[r] = r % 4;
            for (var i = 0; i < 3; i++)
            {
                values[(r * 3) + i] = (float)Math.Round((random.NextDouble() * 20) - 10, 2);
            }

            if (r % 17 == 0)
            {
                nulls.SetNull(r);
            }
        }

        var schema = new DatasetSchema([new ColumnSchema("g", ColumnType.Int64), new ColumnSchema("v", ColumnType.Vector, 3)]);
        var table = new ColumnBatch(schema, [new Int64Column(schema[0], groups), new VectorColumn(schema[1], values, nulls)]);
        const string text = "SELECT g, sum(v) AS s, avg(v) AS a, min(v) AS lo, max(v) AS hi, count(v) AS n FROM t WHERE g < 3 GROUP BY g ORDER BY g";
        var plan = SqlQuery.Plan(text, SqlQuery.Parse(text), schema, 100);
        var (result, _) = plan.Finish([plan.RunPartition(table.Slice(0, 100)), plan.RunPartition(table.Slice(100, 0)), plan.RunPartition(table.Slice(100, 800))]);

        Assert.Equal(["int64", "vector[3]", "vector[3]", "vector[3]", "vector[3]", "int64"], result.Schema.Columns.Select(c => c.Type == ColumnType.Vector ? $"vector[{c.VectorLength}]" : c.Type.ToString().ToLowerInvariant()));
        for (var g = 0; g < 3; g++)
        {
            var members = Enumerable.Range(0, rows).Where(r => r % 4 == g && r % 17 != 0).ToList();
            Assert.Equal((long)members.Count, result[5].GetValue(g));
            for (var i = 0; i < 3; i++)
            {
                var element = members.Select(r => (double)values[(r * 3) + i]).ToList();
                Assert.Equal(element.Sum(), ((VectorColumn)result[1]).Row(g)[i], 2);
                Assert.Equal(element.Average(), ((VectorColumn)result[2]).Row(g)[i], 4);
                Assert.Equal(element.Min(), ((VectorColumn)result[3]).Row(g)[i], 4);
                Assert.Equal(element.Max(), ((VectorColumn)result[4]).Row(g)[i], 4);
            }
        }

        var error = Assert.Throws<OrleansMl.Data.Expressions.ExpressionException>(() => SqlQuery.Plan("SELECT stddev(v) FROM t", SqlQuery.Parse("SELECT stddev(v) FROM t"), schema, 10));
        Assert.Contains("stddev() does not take a vector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT count(*) FROM t WHERE n < -2000", false)]
    [InlineData("SELECT count(*) FROM t WHERE n < -999", true)]
    [InlineData("SELECT count(*) FROM t WHERE -2000 >= n", false)]
    [InlineData("SELECT count(*) FROM t WHERE n = 1000 OR id > 3000", false)]
    [InlineData("SELECT count(*) FROM t WHERE n = 1000 OR id > 1000", true)]
    [InlineData("SELECT count(*) FROM t WHERE n BETWEEN 1000 AND 2000", false)]
    [InlineData("SELECT count(*) FROM t WHERE n BETWEEN 990 AND 2000 AND id < 0", true)]
    [InlineData("SELECT count(*) FROM t WHERE id IS NULL", false)]
    [InlineData("SELECT count(*) FROM t WHERE n IS NULL", true)]
    [InlineData("SELECT count(*) FROM t WHERE NOT (n < -2000)", true)]
    [InlineData("SELECT count(*) FROM t WHERE x > 1e9", true)]
    public void FooterRangesRuleOutOnlyConditionsNoRowCanPass(string query, bool canMatch)
    {
        var ranges = new Dictionary<string, ColumnRange> { ["id"] = new(-500, 1499, 0, Rows), ["n"] = new(-1000, 999, 130, Rows) };
        Assert.Equal(canMatch, SqlQuery.Plan(query, SqlQuery.Parse(query), Schema, 10).CanMatch(ranges));
    }

    [Fact]
    public void AResultLargerThanTheCapIsCutAndSaysSo()
    {
        var query = SqlQuery.Plan("SELECT id FROM t ORDER BY id DESC", SqlQuery.Parse("SELECT id FROM t ORDER BY id DESC"), Schema, maxRows: 100);
        var (rows, truncated) = query.Finish([.. Partitions().Select(query.RunPartition)]);

        Assert.True(truncated);
        Assert.Equal(100, rows.RowCount);
        Assert.Equal(1499L, rows[0].GetValue(0)); // the largest id: the cut keeps the first rows of the order
    }

    [Theory]
    [InlineData("SELECT id FROM t ORDER BY id LIMIT 9223372036854775807 OFFSET 9223372036854775807", 0)]
    [InlineData("SELECT id FROM t LIMIT 9223372036854775807 OFFSET 1990", 10)]
    [InlineData("SELECT id FROM t ORDER BY id LIMIT 0", 0)]
    [InlineData("SELECT g, count(*) AS c FROM t GROUP BY g ORDER BY c LIMIT 2 OFFSET 9223372036854775807", 0)]
    public void ExtremeLimitsAndOffsetsAnswerWithoutOverflow(string text, int rows) => Assert.Equal(rows, Run(text).Rows.RowCount);

    private (ColumnBatch Rows, bool Truncated) Run(string text)
    {
        var query = SqlQuery.Plan(text, SqlQuery.Parse(text), Schema, maxRows: 100_000);
        Assert.Equal("t", ((TableReference)query.Statement.From).Name);
        return query.Finish([.. Partitions().Select(query.RunPartition)]);
    }

    private IEnumerable<ColumnBatch> Partitions() => [_rows.Slice(0, 300), _rows.Slice(300, 1200), _rows.Slice(1500, 0), _rows.Slice(1500, 500)];
}
