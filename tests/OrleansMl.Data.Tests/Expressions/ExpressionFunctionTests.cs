using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using static OrleansMl.Data.Tests.Expressions.ExpressionTestData;

namespace OrleansMl.Data.Tests.Expressions;

public sealed class ExpressionFunctionTests
{
    private static readonly ColumnBatch Text = Batch(
        String("name", "Apple", "pear", null, "ÉCLAIR", ""),
        Categorical("category", "A", "b", "A", null, "b"));

    private static readonly ColumnBatch Events = Batch(
        Int64("id", 1, 2, 3, 4, 5),
        Timestamp("ts", "2024-04-30T23:59:59Z", "2024-05-01T00:00:00Z", "2024-05-01T12:30:00Z", null, "2025-01-01T00:00:00Z"));

    [Fact]
    public void LowerAndUpperKeepNulls()
    {
        Assert.Equal(["apple", "pear", null, "éclair", ""], Values(Text, "lower(name)"));
        Assert.Equal(["APPLE", "PEAR", null, "ÉCLAIR", ""], Values(Text, "UPPER(name)"));
        Assert.Equal(["a", "b", "a", null, "b"], Values(Text, "lower(category)"));
    }

    [Fact]
    public void CaseChoosesTheFirstTrueWhenPerRow()
    {
        Assert.Equal(["long", "short", "none", "long", "short"], Values(Text, "CASE WHEN name IS NULL THEN 'none' WHEN length(name) > 4 THEN 'long' ELSE 'short' END"));
        Assert.Equal([1L, 2L, 1L, null, 2L], Values(Text, "case category when 'A' then 1 when 'b' then 2 end"));
        Assert.Equal([1.5, 2.0, 1.5, null, 2.0], Values(Text, "CASE category WHEN 'A' THEN 1.5 WHEN 'b' THEN 2 END"));
        Assert.Equal([0, 1, 4], Select(Text, "CASE WHEN category IS NULL THEN false ELSE length(coalesce(name, 'xxxxxxx')) < 6 END"));
        Assert.Equal([true, false, false, null, false], Values(Events, "CASE WHEN ts IS NULL THEN null ELSE ts < '2024-05-01' END"));
    }

    [Fact]
    public void CaseRefusesConditionsThatAreNotConditionsAndMixedValues()
    {
        Assert.Contains("A WHEN condition must be true or false, but this is string", Assert.Throws<ExpressionException>(() => Expression.Compile("CASE WHEN name THEN 1 END", Text.Schema)).Message, StringComparison.Ordinal);
        Assert.Contains("CASE cannot mix int64 and string values", Assert.Throws<ExpressionException>(() => Expression.Compile("CASE WHEN name = 'a' THEN 1 ELSE 'x' END", Text.Schema)).Message, StringComparison.Ordinal);
        Assert.Contains("expected WHEN, ELSE or END", Assert.Throws<ExpressionException>(() => Expression.Compile("CASE WHEN name = 'a' THEN 1", Text.Schema)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CastConvertsAndTryCastGivesNullWhereAValueDoesNot()
    {
        Assert.Equal(["1", "2", "3", "4", "5"], Values(Events, "CAST(id AS VARCHAR)"));
        Assert.Equal([3L, -3L, 2L], Values(Batch(Float64("x", 2.5, -2.5, 1.6)), "CAST(x AS BIGINT)"));
        Assert.Equal([true, false, null], Values(Batch(String("s", "true", "false", null)), "CAST(s AS BOOLEAN)"));
        Assert.Equal([12L, null], Values(Batch(String("s", "12", "twelve")), "TRY_CAST(s AS INTEGER)"));
        Assert.Equal([1], Select(Events, "ts = CAST('2024-05-01T00:00:00Z' AS TIMESTAMP)"));
        Assert.Contains("CAST cannot turn 'twelve' into integer", Assert.Throws<SchemaException>(() => Values(Batch(String("s", "12", "twelve")), "CAST(s AS INTEGER)")).Message, StringComparison.Ordinal);
        Assert.Contains("'money' is not a type", Assert.Throws<ExpressionException>(() => Expression.Compile("CAST(id AS money)", Events.Schema)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampFunctionsTakeCalendarFieldsInUtc()
    {
        Assert.Equal([2024L, 2024L, 2024L, null, 2025L], Values(Events, "year(ts)"));
        Assert.Equal([4L, 5L, 5L, null, 1L], Values(Events, "month(ts)"));
        Assert.Equal([30L, 1L, 1L, null, 1L], Values(Events, "day(ts)"));
        Assert.Equal([23L, 0L, 12L, null, 0L], Values(Events, "hour(ts)"));
        Assert.Equal([2L, 3L, 3L, null, 3L], Values(Events, "dayofweek(ts)")); // Tuesday, Wednesday, Wednesday, -, Wednesday
        Assert.Equal([new DateTime(2024, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), null, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)], Values(Events, "date_trunc('month', ts)"));
        Assert.Equal([new DateTime(2024, 4, 29, 0, 0, 0, DateTimeKind.Utc)], Values(Events, "date_trunc('week', ts)").Take(1));
        Assert.Equal([1], Select(Events, "date_trunc('day', ts) = '2024-05-01' AND hour(ts) = 0"));
        Assert.Contains("date_trunc() needs the unit as a string first", Assert.Throws<ExpressionException>(() => Expression.Compile("date_trunc('fortnight', ts)", Events.Schema)).Message, StringComparison.Ordinal);
        Assert.Contains("year() needs a timestamp, not int64", Assert.Throws<ExpressionException>(() => Expression.Compile("year(id)", Events.Schema)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthCountsCharacters() =>
        Assert.Equal([5L, 4L, null, 6L, 0L], Values(Text, "length(name)"));

    [Fact]
    public void StringFunctionsCombineWithComparisons()
    {
        Assert.Equal([0, 2], Select(Text, "lower(category) = 'a'"));
        Assert.Equal([0, 3], Select(Text, "length(name) > 4"));
        Assert.Equal([1], Select(Text, "upper(name) IN ('PEAR', 'PLUM')"));
        Assert.Equal([0, 1, 2, 4], Select(Text, "lower(coalesce(name, category, '')) < 'q' and category is not null"));
    }

    [Theory]
    [InlineData("name LIKE 'Apple'", new[] { 0 })]
    [InlineData("name LIKE 'p%'", new[] { 1 })]
    [InlineData("name LIKE '%e%'", new[] { 0, 1 })]
    [InlineData("name LIKE '_e__'", new[] { 1 })]
    [InlineData("name LIKE '%'", new[] { 0, 1, 3, 4 })]
    [InlineData("name LIKE ''", new[] { 4 })]
    [InlineData("name LIKE '%%a%r'", new[] { 1 })]
    [InlineData("name LIKE 'apple'", new int[0])]
    [InlineData("name ILIKE 'apple'", new[] { 0 })]
    [InlineData("name ILIKE 'éclair'", new[] { 3 })]
    [InlineData("name NOT LIKE '%a%'", new[] { 0, 3, 4 })]
    [InlineData("category LIKE 'A'", new[] { 0, 2 })]
    [InlineData("category NOT ILIKE 'a'", new[] { 1, 4 })]
    public void LikeMatchesTheWholeValueWithWildcardsAndNullsNeverMatch(string condition, int[] rows) =>
        Assert.Equal(rows, Select(Text, condition));

    [Fact]
    public void LikeNeedsTextAndALiteralPattern()
    {
        Assert.Contains("LIKE needs text", Assert.Throws<ExpressionException>(() => Expression.Compile("length(name) LIKE '1'", Text.Schema)).Message, StringComparison.Ordinal);
        Assert.Contains("expected a 'pattern'", Assert.Throws<ExpressionException>(() => Expression.Compile("name LIKE category", Text.Schema)).Message, StringComparison.Ordinal);
        Assert.Equal("(name NOT ILIKE 'a%')", Syntax("name not ilike 'a%'"));
    }

    private static string Syntax(string text) => OrleansMl.Data.Expressions.Syntax.ExpressionParser.Parse(text).ToString();

    [Fact]
    public void StringFunctionsFoldOnConstants() =>
        Assert.Equal([3L, 3L, 3L, 3L, 3L], Values(Text, "length(upper('abc'))"));

    [Fact]
    public void MathFunctionsMatchSystemMath()
    {
        var batch = Batch(Float64("x", 2.5, -2.5, 0.0001, -3.7, null), Int64("i", 4, -4, 0, 9, null));
        Assert.Equal([2.5, 2.5, 0.0001, 3.7, null], Values(batch, "abs(x)"));
        Assert.Equal([4L, 4L, 0L, 9L, null], Values(batch, "abs(i)"));
        Assert.Equal([2.0, null, 0.0, 3.0, null], Values(batch, "sqrt(i)"));
        Assert.Equal([Math.Exp(2.5), Math.Exp(-2.5), Math.Exp(0.0001), Math.Exp(-3.7), null], Values(batch, "exp(x)"), ApproximateComparer.Instance);
        Assert.Equal([2.0, -3.0, 0.0, -4.0, null], Values(batch, "floor(x)"));
        Assert.Equal([3.0, -2.0, 1.0, -3.0, null], Values(batch, "ceil(x)"));
        Assert.Equal([3.0, -3.0, 0.0, -4.0, null], Values(batch, "round(x)"));
        Assert.Equal([2.5, -2.5, 0.0, -3.7, null], Values(batch, "round(x, 1)"));
        Assert.Equal([4L, -4L, 0L, 9L, null], Values(batch, "round(i)"));
        Assert.Equal([Math.Log(2.5), null, Math.Log(0.0001), null, null], Values(batch, "log(x)"), ApproximateComparer.Instance);
    }

    [Fact]
    public void TimestampsCompareWithDateLiterals()
    {
        Assert.Equal([2, 3, 5], Ids(Events, "ts >= '2024-05-01'"));
        Assert.Equal([1], Ids(Events, "ts < '2024-05-01T00:00:00Z'"));
        Assert.Equal([2], Ids(Events, "ts = '2024-05-01 00:00:00'"));
        Assert.Equal([3], Ids(Events, "'2024-05-01T12:30:00.000000' = ts"));
    }

    [Fact]
    public void DateLiteralsWithAnOffsetAreConvertedToUtc() =>
        Assert.Equal([3], Ids(Events, "ts = '2024-05-01T14:30:00+02:00'"));

    [Fact]
    public void TimestampsWorkWithBetweenInAndCoalesce()
    {
        Assert.Equal([2, 3], Ids(Events, "ts BETWEEN '2024-05-01' AND '2024-05-02'"));
        Assert.Equal([1, 5], Ids(Events, "ts IN ('2024-04-30T23:59:59Z', '2025-01-01')"));
        Assert.Equal([1, 4, 5], Ids(Events, "ts NOT IN ('2024-05-01', '2024-05-01T12:30:00') OR ts IS NULL"));
        Assert.Equal([4], Ids(Events, "coalesce(ts, '1999-12-31') < '2000-01-01'"));
    }

    [Fact]
    public void TimestampColumnsCompareWithEachOther()
    {
        var batch = Batch(
            Timestamp("start", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", null),
            Timestamp("end", "2024-01-03T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"));
        Assert.Equal([true, false, null], Values(batch, "start < \"end\""));
    }

    [Fact]
    public void ADerivedTimestampIsATimestampColumn()
    {
        var column = Expression.Compile("coalesce(ts, '2000-01-01')", Events.Schema).Evaluate(Events, "when");
        Assert.Equal(new ColumnSchema("when", ColumnType.Timestamp), column.Schema);
        Assert.Equal(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), column.GetValue(3));
        Assert.Equal(Microseconds("2024-05-01T12:30:00Z"), ((Int64Column)column).Values[2]);
    }

    private static int[] Ids(ColumnBatch batch, string filter) =>
        [.. Select(batch, filter).Select(row => (int)(long)batch["id"].GetValue(row)!)];

    private sealed class ApproximateComparer : IEqualityComparer<object?>
    {
        public static ApproximateComparer Instance { get; } = new();

        public new bool Equals(object? x, object? y) =>
            (x, y) is (double a, double b) ? Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)) : object.Equals(x, y);

        public int GetHashCode(object? obj) => 0;
    }
}
