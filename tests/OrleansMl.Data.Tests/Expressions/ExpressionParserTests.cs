using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Tests.Expressions;

public sealed class ExpressionParserTests
{
    [Theory]
    [InlineData("a + b * c", "(a + (b * c))")]
    [InlineData("a * b + c", "((a * b) + c)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a / b % c * d", "(((a / b) % c) * d)")]
    [InlineData("-a * b", "((-a) * b)")]
    [InlineData("- -a", "(-(-a))")]
    [InlineData("(a + b) * c", "((a + b) * c)")]
    [InlineData("a + 1 > b * 2", "((a + 1) > (b * 2))")]
    [InlineData("a OR b AND c", "(a OR (b AND c))")]
    [InlineData("a AND b OR c AND d", "((a AND b) OR (c AND d))")]
    [InlineData("NOT a = b", "(NOT (a = b))")]
    [InlineData("NOT a AND b", "((NOT a) AND b)")]
    [InlineData("not not a", "(NOT (NOT a))")]
    [InlineData("a and not b Or c", "((a AND (NOT b)) OR c)")]
    [InlineData("a && !b || c", "((a AND (NOT b)) OR c)")]
    [InlineData("a == 1 or a <> 2 or a != 3", "(((a = 1) OR (a != 2)) OR (a != 3))")]
    [InlineData("a <= 1 and a >= 0 and a < 2 and a > -1", "((((a <= 1) AND (a >= 0)) AND (a < 2)) AND (a > -1))")]
    [InlineData("a + 1 IS NOT NULL", "((a + 1) IS NOT NULL)")]
    [InlineData("a is null or b", "((a IS NULL) OR b)")]
    [InlineData("a IN (1, -2, 3.5) AND b", "((a IN (1, -2, 3.5)) AND b)")]
    [InlineData("a not in ('x', null)", "(a NOT IN ('x', null))")]
    [InlineData("a BETWEEN 1 AND 5 AND b", "((a BETWEEN 1 AND 5) AND b)")]
    [InlineData("a not between b - 1 and b + 1", "(a NOT BETWEEN (b - 1) AND (b + 1))")]
    [InlineData("round(abs(a - b), 2) > 1", "(round(abs((a - b)), 2) > 1)")]
    [InlineData("coalesce(a, b, 0)", "coalesce(a, b, 0)")]
    [InlineData("\"unit price\" * `qty sold`", "(\"unit price\" * \"qty sold\")")]
    [InlineData("\"and\" = 1", "(\"and\" = 1)")]
    public void ParsesWithSqlPrecedence(string text, string canonical) =>
        Assert.Equal(canonical, ExpressionParser.Parse(text).ToString());

    [Fact]
    public void CanonicalTextParsesToTheSameTree()
    {
        var text = "NOT (a + -b * 2.5 >= 3 OR c IN (1, 2)) AND lower(\"my col\") = 'it''s'";
        var canonical = ExpressionParser.Parse(text).ToString();
        Assert.Equal(canonical, ExpressionParser.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("12", 12L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData("-0.5", -0.5)]
    [InlineData("'it''s'", "it's")]
    [InlineData("''", "")]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("Null", null)]
    public void ReadsLiterals(string text, object? value)
    {
        var literal = Assert.IsType<LiteralNode>(ExpressionParser.Parse(text));
        Assert.Equal(value, literal.Value);
        Assert.Equal(0, literal.Position);
        Assert.Equal(text.Length, literal.Length);
    }

    [Theory]
    [InlineData("price", "price")]
    [InlineData("_x1", "_x1")]
    [InlineData("\"unit price\"", "unit price")]
    [InlineData("`unit price`", "unit price")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("`a``b`", "a`b")]
    [InlineData("\"select\"", "select")]
    public void ReadsColumnNames(string text, string name)
    {
        var column = Assert.IsType<ColumnReferenceNode>(ExpressionParser.Parse(text));
        Assert.Equal(name, column.Name);
        Assert.Equal(text.Length, column.Length);
    }

    [Fact]
    public void NodesKnowWhereTheyAre()
    {
        var root = Assert.IsType<BinaryNode>(ExpressionParser.Parse("price * qty > abs(-2)"));
        Assert.Equal((0, 21), (root.Position, root.Length));
        Assert.Equal((12, 1), (root.OperatorPosition, root.OperatorLength));

        var product = Assert.IsType<BinaryNode>(root.Left);
        Assert.Equal(BinaryOperator.Multiply, product.Operator);
        Assert.Equal((6, 1), (product.OperatorPosition, product.OperatorLength));
        Assert.Equal((8, 3), (product.Right.Position, product.Right.Length));

        var call = Assert.IsType<FunctionCallNode>(root.Right);
        Assert.Equal(("abs", 14, 7), (call.Name, call.Position, call.Length));
        var argument = Assert.IsType<LiteralNode>(Assert.Single(call.Arguments));
        Assert.Equal((-2L, 18, 2), (argument.Value, argument.Position, argument.Length));
    }

    [Fact]
    public void KeywordOperatorsKeepTheirSpan()
    {
        var root = Assert.IsType<BinaryNode>(ExpressionParser.Parse("a  AnD b"));
        Assert.Equal(BinaryOperator.And, root.Operator);
        Assert.Equal((3, 3), (root.OperatorPosition, root.OperatorLength));
    }

    [Fact]
    public void ReadsFunctionCallsWithoutArguments()
    {
        var call = Assert.IsType<FunctionCallNode>(ExpressionParser.Parse("f()"));
        Assert.Empty(call.Arguments);
    }

    [Fact]
    public void WhitespaceIncludingNewlinesSeparatesTokens() =>
        Assert.Equal("((a + b) > 1)", ExpressionParser.Parse(" a\n+\tb >\r\n1 ").ToString());
}
