using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Expressions;

/// <summary>The engine (vectorised, whole columns) against <see cref="ReferenceEvaluator"/> (one row at a time), row by row.</summary>
public sealed class ExpressionReferenceTests
{
    private static readonly ColumnBatch WithNulls = new RandomExpressions(seed: 42).Batch(rows: 10_000, nullShare: 0.1);
    private static readonly ColumnBatch WithoutNulls = new RandomExpressions(seed: 7).Batch(rows: 2_000, nullShare: 0);

    public static TheoryData<string> Curated =>
    [
        "i + j * 2 - i % 3",
        "i / j",
        "x / y",
        "i % j",
        "x % y",
        "-i * x + \"unit price\"",
        "i * x > 10 and c in ('a', 'b')",
        "(i > 0 or x < 0) and not b",
        "b and (j = 0 or j is null)",
        "b or i > 5",
        "i in (1, 2, 3, null)",
        "i not in (1, 2, 3)",
        "i not in (1, null)",
        "x in (0, 2.5, -1)",
        "i in (0.5, 2)",
        "s in ('apple', 'pear', null)",
        "c not in ('a', 'b')",
        "s = 'apple' or s < 'b'",
        "s != c",
        "lower(s) = 'apple'",
        "upper(coalesce(s, c))",
        "length(s) * 2 + length(c)",
        "abs(i) + abs(x)",
        "sqrt(x) + log(y)",
        "exp(y) > 1",
        "floor(x) = ceil(x)",
        "round(x, 1) * 10",
        "round(x)",
        "coalesce(i, j, 0)",
        "coalesce(x, i)",
        "coalesce(b, i > 0)",
        "coalesce(c, s, 'none')",
        "i between -5 and j",
        "x not between 0 and 10",
        "ts > '2024-06-01'",
        "ts between '2024-03-01' and '2024-04-01T12:00:00Z'",
        "ts in ('2024-01-01', '2024-12-31T00:00:00Z', null)",
        "coalesce(ts, '2024-07-01') <= '2024-07-01'",
        "ts is null or i is null or s is null",
        "b = (i > 0)",
        "b != true",
        "null",
        "i + null",
        "x > null or b",
        "1 + 2 * 3",
        "`unit price` / (i - i)",
    ];

    [Theory]
    [MemberData(nameof(Curated))]
    public void CuratedExpressionsMatchTheReference(string text)
    {
        AssertMatchesReference(WithNulls, text);
        AssertMatchesReference(WithoutNulls, text);
    }

    [Fact]
    public void RandomConditionsMatchTheReference()
    {
        var generator = new RandomExpressions(seed: 1234);
        for (var i = 0; i < 200; i++)
        {
            var text = generator.Condition(depth: 1 + (i % 5));
            AssertMatchesReference(WithNulls, text);
            AssertMatchesReference(WithoutNulls, text);
        }
    }

    [Fact]
    public void RandomValuesMatchTheReference()
    {
        var generator = new RandomExpressions(seed: 5678);
        for (var i = 0; i < 200; i++)
        {
            var text = generator.Value(depth: 1 + (i % 5));
            AssertMatchesReference(WithNulls, text);
            AssertMatchesReference(WithoutNulls, text);
        }
    }

    private static void AssertMatchesReference(ColumnBatch batch, string text)
    {
        BoundExpression bound;
        try
        {
            bound = Expression.Compile(text, batch.Schema);
        }
        catch (ExpressionException e)
        {
            Assert.Fail($"'{text}' does not compile: {e.Message}");
            throw;
        }

        var tree = ExpressionParser.Parse(text);
        var reference = new ReferenceEvaluator(batch);
        var column = bound.Evaluate(batch, "result");
        Assert.Equal(batch.RowCount, column.Length);
        var expectedRows = new List<int>();
        for (var row = 0; row < batch.RowCount; row++)
        {
            var expected = reference.Evaluate(tree, row);
            var actual = Raw(column, row);
            if (!Same(expected, actual, bound.ResultType))
            {
                Assert.Fail($"'{text}' row {row}: expected {Show(expected)}, got {Show(actual)}.");
            }

            if (expected is true)
            {
                expectedRows.Add(row);
            }
        }

        if (bound.ResultType == ColumnType.Boolean)
        {
            Assert.Equal(expectedRows, bound.SelectRows(batch));
        }
    }

    private static object? Raw(Column column, int row) => column.IsNull(row) ? null : column switch
    {
        Int64Column int64 => int64.Values[row],
        Float64Column float64 => float64.Values[row],
        BooleanColumn boolean => boolean.Values[row],
        StringColumn text => text.Values[row],
        _ => throw new ArgumentException(column.Type.ToString()),
    };

    private static bool Same(object? expected, object? actual, ColumnType type) => (expected, actual, type) switch
    {
        (null, null, _) => true,
        (null, _, _) or (_, null, _) => false,
        (_, double a, ColumnType.Float64) => Close(Convert.ToDouble(expected, System.Globalization.CultureInfo.InvariantCulture), a),
        _ => Equals(expected, actual),
    };

    private static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected));

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        _ => $"{value} ({value.GetType().Name})",
    };
}
