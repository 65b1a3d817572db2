using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>
/// Window functions run as the coordinator runs them: the query below the windows over uneven
/// partitions and merged, the windows over all its rows, then the SELECT above. DuckDB runs the same
/// query over the same rows: partitions with one row, nulls in values and in order keys, ties (peers).
/// </summary>
public sealed class SqlWindowDifferentialTests : IDisposable
{
    private readonly string _csv = Path.Combine(Directory.CreateTempSubdirectory("orleansml-window-").FullName, "f.csv");
    private readonly ColumnBatch _table;

    public SqlWindowDifferentialTests()
    {
        var random = new Random(5);
        var schema = new DatasetSchema([
            new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("k", ColumnType.Int64),
            new ColumnSchema("s", ColumnType.Categorical), new ColumnSchema("x", ColumnType.Float64)]);
        var builders = schema.Columns.Select(c => ColumnBuilder.Create(c, 1_000)).ToArray();
        var csv = new StringBuilder("id,k,s,x\n");
        for (var i = 0; i < 1_000; i++)
        {
            long? k = random.Next(9) == 0 ? null : random.Next(40);
            var s = i == 999 ? "alone" : $"s{random.Next(5)}";
            double? x = random.Next(10) == 0 ? null : Math.Round((random.NextDouble() * 100) - 30, 3);
            ((Int64ColumnBuilder)builders[0]).Append(i);
            Append(builders[1], k);
            ((StringColumnBuilder)builders[2]).Append(s);
            if (x is { } value)
            {
                ((Float64ColumnBuilder)builders[3]).Append(value);
            }
            else
            {
                builders[3].AppendNull();
            }

            csv.Append(CultureInfo.InvariantCulture, $"{i},{k},{s},{x?.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        File.WriteAllText(_csv, csv.ToString());
        _table = new ColumnBatch(schema, [.. builders.Select(b => b.Build())]);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_csv)!, recursive: true);

    [Theory]
    [InlineData("SELECT id, k, row_number() OVER (PARTITION BY s ORDER BY x, id) AS rn FROM f")]
    [InlineData("SELECT id, rank() OVER (PARTITION BY s ORDER BY k) AS r, dense_rank() OVER (PARTITION BY s ORDER BY k) AS d, percent_rank() OVER (PARTITION BY s ORDER BY k) AS pr, cume_dist() OVER (PARTITION BY s ORDER BY k DESC NULLS FIRST) AS cd FROM f")]
    [InlineData("SELECT id, lag(x) OVER (PARTITION BY s ORDER BY id) AS prev, lead(x, 2, -1) OVER (PARTITION BY s ORDER BY id) AS next2, lag(s, 0) OVER (ORDER BY id) AS same FROM f")]
    [InlineData("SELECT id, sum(x) OVER (PARTITION BY s ORDER BY k) AS running, count(*) OVER (PARTITION BY s ORDER BY k) AS c, count(x) OVER (PARTITION BY s ORDER BY k) AS cx, avg(x) OVER (PARTITION BY s) AS avg_s FROM f")]
    [InlineData("SELECT id, sum(k) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS moving, min(x) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS mn, max(s) OVER () AS ms, max(k) OVER (PARTITION BY s ORDER BY id ROWS 1 PRECEDING) AS mk FROM f")]
    [InlineData("SELECT s, sum(x) AS total, rank() OVER (ORDER BY sum(x) DESC) AS r, sum(sum(x)) OVER () AS everything FROM f GROUP BY s")]
    [InlineData("SELECT *, ntile(4) OVER (ORDER BY id) AS q, ntile(7) OVER (PARTITION BY s ORDER BY id) AS q7 FROM f WHERE id < 50")]
    [InlineData("SELECT id, x - lag(x) OVER (ORDER BY id) AS dx FROM f ORDER BY dx DESC NULLS LAST, id LIMIT 20")]
    [InlineData("SELECT id, first_value(x) OVER (PARTITION BY s ORDER BY id) AS fv, last_value(x) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS lv, last_value(k) OVER (PARTITION BY s ORDER BY k) AS lp FROM f")]
    [InlineData("SELECT DISTINCT s, count(*) OVER (PARTITION BY s) AS n FROM f")]
    [InlineData("SELECT id, row_number() OVER (ORDER BY x DESC NULLS FIRST, id) AS rn FROM f ORDER BY rn LIMIT 10 OFFSET 3")]
    [InlineData("SELECT id, sum(x) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS ahead, avg(k) OVER (ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS allk FROM f WHERE x > 0")]
    [InlineData("SELECT id, row_number() OVER (PARTITION BY k % 3, s ORDER BY id DESC) AS rn FROM f WHERE k IS NOT NULL ORDER BY id")]
    [InlineData("SELECT s, id, x FROM f WHERE x IS NOT NULL QUALIFY row_number() OVER (PARTITION BY s ORDER BY x DESC, id) <= 2")]
    [InlineData("SELECT s, id, rank() OVER (PARTITION BY s ORDER BY k) AS r FROM f QUALIFY r = 1 AND id % 2 = 0")]
    [InlineData("SELECT s, count(*) AS n FROM f GROUP BY s QUALIFY rank() OVER (ORDER BY count(*) DESC) <= 3")]
    public async Task AgreesWithDuckDb(string query)
    {
        var expected = await DuckDb.QueryAsync($"WITH f AS (SELECT * FROM read_csv({DuckDb.Quote(_csv)}, header = true, columns = {{'id': 'BIGINT', 'k': 'BIGINT', 's': 'VARCHAR', 'x': 'DOUBLE'}})) {query}");
        SqlAnswers.AssertSame(expected, Run(query), ordered: query.Contains("ORDER BY id\"", StringComparison.Ordinal) || query.EndsWith("ORDER BY id", StringComparison.Ordinal) || query.Contains("LIMIT", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT id FROM f WHERE row_number() OVER (ORDER BY id) < 5", "Window functions are not allowed here")]
    [InlineData("SELECT median(x) OVER () FROM f", "median is not a window function")]
    [InlineData("SELECT sum(lag(x) OVER (ORDER BY id)) OVER () FROM f", "A window function cannot be inside another window function")]
    [InlineData("SELECT lag(x, k) OVER (ORDER BY id) FROM f", "lag's offset must be a whole number of rows")]
    [InlineData("SELECT sum(s) OVER () FROM f", "; this is categorical.")]
    [InlineData("SELECT id, * , row_number() OVER () FROM f", "* goes before the other select items")]
    [InlineData("SELECT sum(x) OVER (ORDER BY id RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM f", "This RANGE frame is not supported")]
    [InlineData("SELECT sum(x) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING) FROM f", "The frame starts after it ends")]
    [InlineData("SELECT rank(id) OVER (ORDER BY id) FROM f", " but was given 1.")]
    public void AWrongWindowIsRefusedPointingAtIt(string query, string message)
    {
        var error = Assert.Throws<ExpressionException>(() => Run(query));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APartitionGrainRunsTheQueryBelowTheWindows()
    {
        const string text = "SELECT s, x - lag(x) OVER (PARTITION BY s ORDER BY id) AS dx FROM f WHERE k > 3 ORDER BY dx LIMIT 5";
        var stage = SqlQuery.ParseStage(text);
        Assert.IsType<TableReference>(stage.From);
        Assert.Null(stage.Limit);
        Assert.Equal(["s", "x", "id"], stage.Items.Select(i => i.Expression!.ToString()));
        Assert.Equal("(k > 3)", stage.Where!.ToString());
    }

    /// <summary>The query below the windows over three uneven partitions, merged; the windows; the SELECT above over them.</summary>
    private ColumnBatch Run(string text)
    {
        var statement = SqlQuery.Parse(text);
        if (statement.From is not WindowRelation window)
        {
            var plain = SqlQuery.Plan(text, statement, _table.Schema, 100_000);
            return plain.Finish([plain.RunPartition(_table)]).Rows;
        }

        var below = SqlQuery.Plan(text, window.Query, _table.Schema, int.MaxValue - 1);
        var cut = _table.RowCount / 3;
        var rows = below.Finish([.. new[] { _table.Slice(0, cut), _table.Slice(cut, 0), _table.Slice(cut, _table.RowCount - cut) }.Select(below.RunPartition)]).Rows;
        var columns = window.Functions.Select(f => SqlWindow.ResultColumn(text, f, rows.Schema)).ToList();
        var windowed = SqlWindow.Compute(rows, window.Functions, columns);
        var above = SqlQuery.Plan(text, statement, windowed.Schema, 100_000);
        var (result, truncated) = above.Finish([above.RunPartition(windowed)]);
        Assert.False(truncated);
        return result;
    }

    private static void Append(ColumnBuilder builder, long? value)
    {
        if (value is { } v)
        {
            ((Int64ColumnBuilder)builder).Append(v);
        }
        else
        {
            builder.AppendNull();
        }
    }
}
