using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Testing;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>
/// Joins run as the platform runs them: the relation <see cref="SqlQuery.ChooseDriving"/> picks is cut
/// into uneven partitions, every other relation is given whole (only the columns the query reads,
/// filtered by <see cref="SqlQuery.PushedFilter"/>, as the coordinator would read it), and the
/// partitions' parts are merged. DuckDB runs the same query over the same rows. Keys have nulls,
/// duplicates on both sides, a skewed value, and integers meet floats.
/// </summary>
public sealed class SqlJoinDifferentialTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansml-join-").FullName;
    private readonly Dictionary<string, ColumnBatch> _tables = new(StringComparer.Ordinal);

    public SqlJoinDifferentialTests()
    {
        var random = new Random(11);
        Add("f", 3_000, "id BIGINT, k BIGINT, s VARCHAR, x DOUBLE",
        [
            new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("k", ColumnType.Int64),
            new ColumnSchema("s", ColumnType.Categorical), new ColumnSchema("x", ColumnType.Float64),
        ], i => [i, random.Next(10) == 0 ? null : random.Next(3) == 0 ? 7L : random.Next(250), $"s{random.Next(4)}", random.Next(12) == 0 ? null : Math.Round(random.NextDouble() * 10, 4)]);
        Add("d", 220, "k BIGINT, kf DOUBLE, s VARCHAR, name VARCHAR, w DOUBLE",
        [
            new ColumnSchema("k", ColumnType.Int64), new ColumnSchema("kf", ColumnType.Float64), new ColumnSchema("s", ColumnType.String),
            new ColumnSchema("name", ColumnType.Categorical), new ColumnSchema("w", ColumnType.Float64),
        ], i => [i % 23 == 0 ? null : i % 200, (double)(i % 200), $"s{i % 4}", $"n{i % 9}", Math.Round(random.NextDouble(), 4)]);
        Add("e", 12, "name VARCHAR, region VARCHAR",
        [
            new ColumnSchema("name", ColumnType.String), new ColumnSchema("region", ColumnType.Categorical),
        ], i => [$"n{i % 10}", i % 3 == 0 ? null : $"r{i % 2}"]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Keys with nulls, duplicates and skew; integers meeting floats; outer joins either way round; pushed filters; aggregates over joins.</summary>
    public static TheoryData<string> Queries => new()
    {
        "SELECT f.id, d.name, d.w FROM f JOIN d ON f.k = d.k",
        "SELECT f.id, d.name FROM f LEFT JOIN d ON f.k = d.k",
        "SELECT f.id, d.k, d.name FROM f RIGHT JOIN d ON f.k = d.k",
        "SELECT f.id, d.k AS dk, d.name FROM f FULL OUTER JOIN d ON f.k = d.k",
        "SELECT f.id, d.name FROM d RIGHT JOIN f ON f.k = d.k",
        "SELECT d.name, count(*) AS c, sum(f.x) AS sx, avg(d.w) AS aw FROM f JOIN d ON f.k = d.k WHERE d.w > 0.3 AND f.x < 5 GROUP BY d.name",
        "SELECT count(*) AS c FROM f, d WHERE f.k = d.k AND f.s = d.s",
        "SELECT f.id, d.w FROM d JOIN f ON d.k = f.k AND d.s = f.s WHERE f.id % 5 = 0",
        "SELECT f.id, d.name FROM f LEFT JOIN d ON f.k = d.k AND f.x > 2 AND d.w < 0.5",
        "SELECT count(*) AS c, sum(d.w) AS sw FROM f CROSS JOIN d WHERE f.id < 10",
        "SELECT e.region, count(*) AS c, sum(f.x) AS sx FROM f JOIN d ON f.k = d.k JOIN e ON d.name = e.name GROUP BY e.region",
        "SELECT f.id, d.kf FROM f JOIN d ON f.k = d.kf WHERE f.id < 300",
        "SELECT f.id, f.k, d.w FROM f JOIN d ON f.k = d.k ORDER BY d.w DESC, f.id LIMIT 40",
        "SELECT count(*) AS c FROM f JOIN d ON f.k > d.k WHERE f.id < 200",
        "SELECT f.id FROM f LEFT JOIN d ON f.k = d.k WHERE d.name IS NULL",
        "SELECT d.name, e.region, count(f.id) AS c FROM d LEFT JOIN f ON f.k = d.k LEFT JOIN e ON e.name = d.name GROUP BY d.name, e.region",
        "SELECT x.id, y.name FROM f AS x JOIN d y ON x.k = y.k WHERE y.name IN ('n1', 'n2') AND x.s = 's1'",
        "SELECT DISTINCT d.name, f.s FROM f JOIN d ON f.k = d.k",
        "SELECT id, d.name, region FROM f JOIN d ON f.k = d.k LEFT JOIN e ON d.name = e.name WHERE id < 100",
        "SELECT count(*) AS c FROM f JOIN d ON f.k = d.k WHERE f.id < 0",
        "SELECT f.s, count(*) AS c FROM f FULL JOIN d ON f.k = d.k AND f.s = d.s GROUP BY f.s",
        "SELECT f.id, d.name FROM f LEFT JOIN d ON f.k = d.k WHERE f.x > 3",
        "SELECT d.name, count(DISTINCT f.k) AS keys, count(*) AS c FROM f JOIN d ON f.k = d.k GROUP BY d.name",
        "SELECT f.id, d.w FROM f JOIN d ON f.k * 1000003 = d.k * 1000003 WHERE f.x < 4",
        "SELECT f.id, d.w FROM f LEFT JOIN d ON f.k * 1000003 = d.k * 1000003 AND d.w > 0.2 WHERE f.x < 4 OR f.x IS NULL",

        // Joined rows carry only the columns read after the join: none at all, or a key read by a later join alone.
        "SELECT count(*) AS c FROM f JOIN d ON f.k = d.k",
        "SELECT count(*) AS c FROM f LEFT JOIN d ON f.k = d.k",
        "SELECT count(*) AS c FROM f RIGHT JOIN d ON f.k = d.k",
        "SELECT count(*) AS c FROM f FULL JOIN d ON f.k = d.k",
        "SELECT count(*) AS c, count(e.region) AS r FROM f JOIN d ON f.k = d.k JOIN e ON d.name = e.name",
        "SELECT count(*) AS c FROM f LEFT JOIN d ON f.k = d.k LEFT JOIN e ON d.name = e.name WHERE e.region = 'r1'",
        "SELECT f.s, count(*) AS c FROM f JOIN d ON f.k = d.k AND d.w > f.x / 10 GROUP BY f.s",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task AgreesWithDuckDb(string query)
    {
        var expected = await DuckDb.QueryAsync($"WITH {string.Join(", ", _tables.Keys.Select(t => $"{t} AS (SELECT * FROM read_csv({DuckDb.Quote(Csv(t))}, header = true, columns = {{{Columns(t)}}}))"))} {query}");
        SqlAnswers.AssertSame(expected, Run(query), ordered: query.Contains("ORDER BY", StringComparison.Ordinal));
    }

    /// <summary>
    /// The same queries as the platform runs them when the joined relation is too large to send whole: the
    /// driving relation's parts and the joined relation's parts are split by <see cref="SqlQuery.Scatter"/>
    /// into buckets, each bucket runs the partition stage; a GROUP BY's partial aggregates are then split
    /// by <see cref="SqlQuery.ScatterGroups"/> and each bucket's groups finished on their own.
    /// </summary>
    [Theory]
    [MemberData(nameof(Queries))]
    public async Task AgreesWithDuckDbThroughAHashExchange(string query)
    {
        var expected = await DuckDb.QueryAsync($"WITH {string.Join(", ", _tables.Keys.Select(t => $"{t} AS (SELECT * FROM read_csv({DuckDb.Quote(Csv(t))}, header = true, columns = {{{Columns(t)}}}))"))} {query}");
        SqlAnswers.AssertSame(expected, Run(query, buckets: 5), ordered: query.Contains("ORDER BY", StringComparison.Ordinal));
    }

    [Fact]
    public void EqualKeysLandInTheSameBucketWhateverTheirType()
    {
        const string text = "SELECT a.i, b.f FROM a JOIN b ON a.i = b.f AND a.t = b.c";
        var ints = new ColumnSchema("i", ColumnType.Int64);
        var text1 = new ColumnSchema("t", ColumnType.String);
        var floats = new ColumnSchema("f", ColumnType.Float64);
        var categories = new ColumnSchema("c", ColumnType.Categorical);
        var a = new ColumnBatch(new DatasetSchema([ints, text1]), [new Int64Column(ints, [0, 3, -7, 1L << 40]), new StringColumn(text1, ["x", "y", "z", "w"])]);
        var b = new ColumnBatch(new DatasetSchema([floats, categories]), [new Float64Column(floats, [-0.0, 3.0, -7.0, 1L << 40]), new StringColumn(categories, ["x", "y", "z", "w"])]);
        var plan = SqlQuery.Plan(text, SqlQuery.Parse(text), [a.Schema, b.Schema], 0, 100);

        Assert.Equal(1, plan.ExchangeRelation);
        var left = plan.Scatter(a, 0, 16);
        var right = plan.Scatter(b, 1, 16);
        for (var bucket = 0; bucket < 16; bucket++)
        {
            Assert.Equal(left[bucket].RowCount, right[bucket].RowCount);
            Assert.Equal(left[bucket].RowCount, plan.RunPartition([left[bucket], right[bucket]]).RowCount);
        }
    }

    [Theory]
    [InlineData("SELECT k FROM f JOIN d ON f.k = d.k", "write f.k or d.k.")]
    [InlineData("SELECT f.id FROM f JOIN d ON f.k = q.k", "No table 'q' in FROM")]
    [InlineData("SELECT f.idd FROM f JOIN d ON f.k = d.k", "did you mean 'f.id'?")]
    [InlineData("SELECT f.id FROM f JOIN f ON f.k = f.k", "'f' names two relations in FROM")]
    [InlineData("SELECT f.id FROM f JOIN d ON f.s = e.name JOIN e ON d.name = e.name", "reads 'e', which is joined after it")]
    [InlineData("SELECT f.id FROM f LEFT JOIN d ON f.s = e.name JOIN e ON d.name = e.name", "reads 'e', which is joined after it")]
    [InlineData("SELECT d.id FROM f JOIN d ON f.k = d.k", "'d' has no column 'id'")]
    [InlineData("SELECT count(DISTINCT f.k), count(DISTINCT d.name) FROM f JOIN d ON f.k = d.k", "(f.k, and d.name here); compute the other in a subquery and join.")]
    public void NamesThatDoNotResolvePointAtTheQuery(string query, string message)
    {
        var error = Assert.Throws<ExpressionException>(() => Plan(query, driving: 0));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLargestDatasetDrivesInnerJoinsAndTheOthersArePrunedAndFiltered()
    {
        const string text = "SELECT e.region, sum(f.x) FROM e JOIN d ON d.name = e.name JOIN f ON f.k = d.k WHERE d.w > 0.5 AND e.region = 'r1' GROUP BY e.region";
        var statement = SqlQuery.Parse(text);
        var driving = SqlQuery.ChooseDriving(statement, [12, 220, 3_000]);
        var plan = SqlQuery.Plan(text, statement, [_tables["e"].Schema, _tables["d"].Schema, _tables["f"].Schema], driving, 100);

        Assert.Equal(2, driving);
        Assert.False(plan.RunsAtCoordinator);
        Assert.Equal(["k", "x"], plan.ReadColumns);
        Assert.Equal(["k", "name", "w"], plan.RelationColumns(1));
        Assert.Equal("(w > 0.5)", plan.PushedFilter(1)!.ToString());
        Assert.Equal("SELECT name, region FROM e@3 WHERE (region = 'r1')", plan.ScanText(0, "e", 3));
    }

    [Fact]
    public void AFullJoinRunsAtTheCoordinator()
    {
        var plan = Plan("SELECT f.id FROM f FULL JOIN d ON f.k = d.k", driving: 0);
        Assert.True(plan.RunsAtCoordinator);
    }

    [Fact]
    public void ARunawayCrossJoinIsAClearError()
    {
        var big = new ColumnBatch(new DatasetSchema([new ColumnSchema("v", ColumnType.Int64)]), [new Int64Column(new ColumnSchema("v", ColumnType.Int64), new long[5_000])]);
        var plan = SqlQuery.Plan("SELECT count(*) FROM a, b", SqlQuery.Parse("SELECT count(*) FROM a, b"), [big.Schema, big.Schema], 0, 10);
        var error = Assert.Throws<SchemaException>(() => plan.RunPartition([big, big]));
        Assert.Contains("more than 16,777,216 rows", error.Message, StringComparison.Ordinal);
    }

    /// <param name="buckets">0 to broadcast every relation but the driving one; otherwise a hash exchange in this many buckets where the plan allows one.</param>
    private ColumnBatch Run(string text, int buckets = 0)
    {
        var statement = SqlQuery.Parse(text);
        var names = statement.Relations.Select(r => ((TableReference)r).Name).ToList();
        var driving = SqlQuery.ChooseDriving(statement, [.. names.Select(n => (long?)_tables[n].RowCount)]);
        var plan = Plan(text, driving);
        var held = names.Select((name, r) => Held(plan, r, _tables[name])).ToList();
        var exchanged = buckets > 0 ? plan.ExchangeRelation : null;
        List<ColumnBatch> partials;
        if (exchanged is { } relation)
        {
            // Each side cut into uneven parts as partitions would hold it, each part split by the join keys.
            var sides = new[] { driving, relation }.Select(r => Parts(_tables[names[r]]).Select(part => plan.Scatter(part, r, buckets)).ToList()).ToList();
            partials = [.. Enumerable.Range(0, buckets).Select(b => plan.RunPartition([.. held.Select((h, r) =>
                r == driving ? Concat(plan.RelationSchema(r), sides[0].Select(s => s[b]))
                : r == relation ? Concat(plan.RelationSchema(r), sides[1].Select(s => s[b]))
                : h)]))];
        }
        else
        {
            var rows = _tables[names[driving]];
            var parts = plan.RunsAtCoordinator ? [rows] : Parts(rows);
            partials = [.. parts.Select(part => plan.RunPartition([.. held.Select((h, r) => r == driving ? part : h)]))];
        }

        if (buckets > 0 && plan.MergesByBucket)
        {
            var split = partials.Select(p => plan.ScatterGroups(p, buckets)).ToList();
            var finished = Enumerable.Range(0, buckets).Select(b => plan.Finish([.. split.Select(s => s[b])]).Rows).ToList();
            return ColumnBatch.Concat(plan.ResultSchema, finished);
        }

        var (result, truncated) = plan.Finish(partials);
        Assert.False(truncated);
        return result;
    }

    private static ColumnBatch[] Parts(ColumnBatch rows)
    {
        var cut = rows.RowCount / 4;
        return [rows.Slice(0, cut), rows.Slice(cut, 0), rows.Slice(cut, rows.RowCount - cut)];
    }

    private static ColumnBatch Concat(DatasetSchema schema, IEnumerable<ColumnBatch> parts) =>
        ColumnBatch.Concat(schema, [.. parts.Select(p => new ColumnBatch(schema, [.. p.Columns]))]);

    /// <summary>A relation as the coordinator holds it: the scan the plan asks for, run over one partition.</summary>
    private static ColumnBatch Held(SqlQuery plan, int relation, ColumnBatch rows)
    {
        var scanText = plan.ScanText(relation, "x", 1);
        var scan = SqlQuery.Plan(scanText, SqlQuery.Parse(scanText), rows.Schema, int.MaxValue - 1);
        var held = scan.Finish([scan.RunPartition(rows)]).Rows;
        Assert.Equal(plan.RelationSchema(relation).Columns.Select(c => c.Type), held.Schema.Columns.Select(c => c.Type));
        return held;
    }

    private SqlQuery Plan(string text, int driving)
    {
        var statement = SqlQuery.Parse(text);
        return SqlQuery.Plan(text, statement, [.. statement.Relations.Select(r => _tables[((TableReference)r).Name].Schema)], driving, 100_000);
    }

    private void Add(string name, int rows, string duckTypes, ColumnSchema[] schema, Func<long, object?[]> row)
    {
        var builders = schema.Select(c => ColumnBuilder.Create(c, rows)).ToArray();
        var csv = new StringBuilder(string.Join(",", schema.Select(c => c.Name))).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var values = row(i);
            for (var c = 0; c < schema.Length; c++)
            {
                AppendValue(builders[c], values[c]);
            }

            csv.AppendJoin(',', values.Select(v => v switch { null => "", double d => d.ToString("R", CultureInfo.InvariantCulture), _ => Convert.ToString(v, CultureInfo.InvariantCulture) })).Append('\n');
        }

        File.WriteAllText(Csv(name), csv.ToString());
        File.WriteAllText(Path.Combine(_folder, name + ".types"), duckTypes);
        _tables[name] = new ColumnBatch(new DatasetSchema(schema), [.. builders.Select(b => b.Build())]);
    }

    private static void AppendValue(ColumnBuilder builder, object? value)
    {
        switch (value)
        {
            case null: builder.AppendNull(); break;
            case long l: ((PrimitiveColumnBuilder<long>)builder).Append(l); break;
            case int i: ((PrimitiveColumnBuilder<long>)builder).Append(i); break;
            case double d: ((PrimitiveColumnBuilder<double>)builder).Append(d); break;
            case string s: ((StringColumnBuilder)builder).Append(s); break;
        }
    }

    private string Csv(string table) => Path.Combine(_folder, table + ".csv");

    private string Columns(string table) => string.Join(", ", File.ReadAllText(Path.Combine(_folder, table + ".types")).Split(", ").Select(c => c.Split(' ')).Select(c => $"'{c[0]}': '{c[1]}'"));
}
