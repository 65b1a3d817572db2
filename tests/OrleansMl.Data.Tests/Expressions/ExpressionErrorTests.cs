using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using static OrleansMl.Data.Tests.Expressions.ExpressionTestData;

namespace OrleansMl.Data.Tests.Expressions;

public sealed class ExpressionErrorTests
{
    private static readonly ColumnBatch Sales = Batch(
        Int64("id", 1),
        Float64("price", 2.5),
        Int64("qty", 3));

    private static readonly ColumnBatch Mixed = Batch(
        Int64("qty", 1),
        Float64("price", 2.5),
        String("name", "a"),
        Categorical("category", "x"),
        Boolean("flag", true),
        Timestamp("ts", "2024-05-01T00:00:00Z"),
        Vector("pixels", 4, 1));

    [Fact]
    public void UnknownColumnSuggestsTheClosestNameAndListsTheColumns()
    {
        var error = Error(Sales, "qty > 2 and prise > 10");
        Assert.Equal(
            "Unknown column 'prise' at position 12 (did you mean 'price'?). Columns: id, price, qty.\n"
            + "  qty > 2 and prise > 10\n"
            + "              ^^^^^",
            error.Message);
        Assert.Equal((12, 5), (error.Position, error.Length));
        Assert.Equal("qty > 2 and prise > 10", error.Text);
        Assert.Equal("Unknown column 'prise'", error.Problem);
    }

    [Fact]
    public void UnknownColumnWithoutACloseNameOnlyListsTheColumns() =>
        Assert.StartsWith("Unknown column 'weight' at position 0. Columns: id, price, qty.\n", Error(Sales, "weight > 1").Message);

    [Fact]
    public void UnknownColumnMatchesNamesIgnoringCase() =>
        Assert.Contains("(did you mean 'price'?)", Error(Sales, "PRICE > 1").Message);

    [Fact]
    public void DoubleQuotedTextThatIsNoColumnHintsAtSingleQuotes() =>
        Assert.Contains("Strings go in single quotes: 'a'.", Error(Mixed, "name = \"a\"").Message);

    [Fact]
    public void OperatorTypeMismatchPointsAtTheOperator()
    {
        var error = Error(Mixed, "(name) + 1");
        Assert.Equal("'+' cannot be applied to string and int64 at position 7.\n  (name) + 1\n         ^", error.Message);
        Assert.Equal((7, 1), (error.Position, error.Length));
    }

    [Fact]
    public void KeywordOperatorMismatchQuotesTheOperatorAsWritten()
    {
        var error = Error(Mixed, "qty and flag");
        Assert.StartsWith("'and' cannot be applied to int64 and boolean at position 4.", error.Message);
        Assert.EndsWith("\n      ^^^", error.Message);
    }

    [Theory]
    [InlineData("name > 1", "'>' cannot be applied to string and int64 at position 5.")]
    [InlineData("flag + 1", "'+' cannot be applied to boolean and int64 at position 5.")]
    [InlineData("flag < true", "'<' cannot be applied to boolean and boolean at position 5 (booleans compare only with = and !=).")]
    [InlineData("-name", "'-' cannot be applied to string at position 0.")]
    [InlineData("NOT qty", "'NOT' cannot be applied to int64 at position 0.")]
    [InlineData("!qty", "'!' cannot be applied to int64 at position 0.")]
    [InlineData("ts + 1", "'+' cannot be applied to timestamp and int64 at position 3 (timestamps support comparisons, IN, BETWEEN and coalesce).")]
    [InlineData("ts > name", "'>' cannot be applied to timestamp and string at position 3 (a timestamp compares with another timestamp or a date literal such as '2024-05-01').")]
    [InlineData("qty IN (1, 'a')", "'IN' cannot be applied to int64 and string at position 11.")]
    [InlineData("qty BETWEEN 1 AND 'z'", "'BETWEEN' cannot be applied to int64 and string at position 18.")]
    [InlineData("sqrt(name)", "sqrt() needs a number, not string at position 5.")]
    [InlineData("lower(qty)", "lower() needs text (string or categorical), not int64 at position 6.")]
    [InlineData("coalesce(qty, name)", "coalesce() cannot mix int64 and string at position 14.")]
    [InlineData("round(price, qty)", "round() needs a whole number from 0 to 15 for its digits at position 13.")]
    [InlineData("round(price, 16)", "round() needs a whole number from 0 to 15 for its digits at position 13.")]
    public void TypeErrorsSayWhatAndWhere(string text, string firstLine) =>
        Assert.Equal(firstLine, Error(Mixed, text).Message.Split('\n')[0]);

    [Fact]
    public void VectorColumnsAreRejected()
    {
        var error = Error(Mixed, "qty > 1 or pixels > 0");
        Assert.StartsWith("Column 'pixels' is a vector at position 11 (vector[4]); expressions work on int64, float64, boolean, string, categorical and timestamp columns.", error.Message);
        Assert.Equal((11, 6), (error.Position, error.Length));
    }

    [Fact]
    public void ABadDateLiteralIsAnErrorAtBindTime()
    {
        var error = Error(Mixed, "ts > '2024-13-01'");
        Assert.StartsWith("'2024-13-01' is not an ISO-8601 date/time at position 5 (", error.Message);
        Assert.Equal((5, 12), (error.Position, error.Length));
    }

    [Fact]
    public void UnknownFunctionSuggestsAndListsTheFunctions()
    {
        var error = Error(Sales, "sqr(price)");
        Assert.StartsWith(
            "Unknown function 'sqr' at position 0 (did you mean 'sqrt'?). Functions: abs, ceil, coalesce, concat, contains, date_trunc, day, dayofweek, dayofyear, ends_with, exp, floor, hour, left, length, log, lower, ltrim, minute, month, replace, right, round, rtrim, second, sqrt, starts_with, strpos, substring, trim, upper, year.\n",
            error.Message);
        Assert.Equal((0, 3), (error.Position, error.Length));
    }

    [Fact]
    public void FunctionNamesFromOtherDialectsSuggestOurs() =>
        Assert.Contains("(did you mean 'log'?)", Error(Sales, "ln(price)").Message);

    [Theory]
    [InlineData("sqrt(price, 2)", "sqrt() takes 1 argument but was given 2 at position 0 (usage: sqrt(number)).")]
    [InlineData("abs()", "abs() takes 1 argument but was given 0 at position 0 (usage: abs(number)).")]
    [InlineData("coalesce(price)", "coalesce() takes at least 2 arguments but was given 1 at position 0 (usage: coalesce(value, value, ...)).")]
    [InlineData("ROUND(price, 1, 2)", "round() takes 1 or 2 arguments but was given 3 at position 0 (usage: round(number) or round(number, digits) with digits from 0 to 15).")]
    public void WrongArgumentCountsShowTheUsage(string text, string firstLine)
    {
        var error = Error(Sales, text);
        Assert.Equal(firstLine, error.Message.Split('\n')[0]);
        Assert.Equal(text.Length, error.Length);
    }

    [Fact]
    public void AFilterMustBeACondition()
    {
        var error = Assert.Throws<ExpressionException>(() => Expression.CompilePredicate("price * qty", Sales.Schema));
        Assert.Equal(
            "A filter needs a true/false condition, but this expression is float64 at position 0 (compare it, e.g. price * qty > 0).\n"
            + "  price * qty\n"
            + "  ^^^^^^^^^^^",
            error.Message);
    }

    [Fact]
    public void SelectRowsRefusesAnExpressionThatIsNoCondition()
    {
        var bound = Expression.Compile("price", Sales.Schema);
        Assert.Throws<InvalidOperationException>(() => bound.SelectRows(Sales));
    }

    [Fact]
    public void UnexpectedCharacter()
    {
        var error = Parse("price # 2");
        Assert.Equal("Unexpected character '#' at position 6.\n  price # 2\n        ^", error.Message);
        Assert.Equal((6, 1), (error.Position, error.Length));
    }

    [Theory]
    [InlineData("a & b", "Unexpected character '&' at position 2 (write AND or &&).")]
    [InlineData("prix_é > 1", "Unexpected character 'é' at position 5 (names with characters other than A-Z, 0-9 and _ go in double quotes: \"my col\").")]
    [InlineData("12abc", "Invalid number '12abc' at position 0.")]
    [InlineData("1.2.3", "Invalid number '1.2.3' at position 0.")]
    [InlineData("1e", "Invalid number '1e' at position 0.")]
    [InlineData("9223372036854775808", "Integer 9223372036854775808 is out of range at position 0 (int64 holds ±9223372036854775807; write 1e19 for a float64).")]
    [InlineData("1e999", "Number 1e999 is out of range at position 0 (float64 holds about ±1.8e308).")]
    [InlineData("\"\" > 1", "Empty column name at position 0.")]
    [InlineData("price > 1 2", "Unexpected '2' at position 10; expected an operator or the end of the expression.")]
    [InlineData("price > )", "Unexpected ')' at position 8; expected a value (a number, a 'string', a column or a function call).")]
    [InlineData("a IS 1", "Unexpected '1' at position 5; expected NULL or NOT NULL after IS.")]
    [InlineData("a NOT 1", "Unexpected '1' at position 6; expected IN, BETWEEN, LIKE or ILIKE after 'NOT'.")]
    [InlineData("a IN 1", "Unexpected '1' at position 5; expected '(' after 'IN'.")]
    [InlineData("a IN (b)", "Unexpected 'b' at position 6; expected a literal (IN lists hold numbers, 'strings', true, false or null).")]
    [InlineData("a IN ()", "Unexpected ')' at position 6; expected a literal (IN lists hold numbers, 'strings', true, false or null).")]
    [InlineData("a BETWEEN 1 OR 2", "Unexpected 'OR' at position 12; expected AND between the bounds of 'BETWEEN'.")]
    [InlineData("   ", "The expression is empty at position 0; write a condition such as price > 10, or a formula such as price * qty.")]
    public void SyntaxErrorsSayWhatAndWhere(string text, string firstLine) =>
        Assert.Equal(firstLine, Parse(text).Message.Split('\n')[0]);

    [Fact]
    public void UnterminatedStringUnderlinesTheRestOfTheText()
    {
        var error = Parse("name = 'abc");
        Assert.Equal("Unterminated string at position 7 (the closing ' is missing).\n  name = 'abc\n         ^^^^", error.Message);
        Assert.Equal((7, 4), (error.Position, error.Length));
    }

    [Fact]
    public void UnterminatedQuotedName() =>
        Assert.StartsWith("Unterminated quoted name at position 0 (the closing \" is missing).", Parse("\"unit price > 1").Message);

    [Fact]
    public void UnexpectedEndPointsPastTheLastCharacter()
    {
        var error = Parse("price >");
        Assert.Equal("Unexpected end of expression at position 7; expected a value after '>'.\n  price >\n         ^", error.Message);
        Assert.Equal(7, error.Position);
    }

    [Fact]
    public void MissingCloseParenthesisNamesTheOpenOne()
    {
        Assert.Equal("Missing ')' at position 9 to close the '(' at position 3.\n  abs(price\n           ^", Parse("abs(price").Message);
        Assert.StartsWith("Missing ')' at position 8 to close the '(' at position 0.", Parse("(a + (b)").Message);
        Assert.StartsWith("Unexpected 'c' at position 7; expected ')' to close the '(' at position 0.", Parse("(a + b c").Message);
        Assert.StartsWith("Unexpected 'b' at position 6; expected ',' or ')' to close the '(' at position 3.", Parse("abs(a b)").Message);
    }

    [Fact]
    public void LongExpressionsShowAWindowWithTheCaretInPlace()
    {
        var text = string.Join(" and ", Enumerable.Range(0, 20).Select(i => $"qty > {i}")) + " and prise > 1";
        var error = Error(Sales, text);
        var lines = error.Message.Split('\n');
        var shown = lines[1][2..];
        var caret = lines[2].IndexOf('^', StringComparison.Ordinal) - 2;
        Assert.StartsWith("...", shown, StringComparison.Ordinal);
        Assert.Equal("prise", shown.Substring(caret, 5));
        Assert.Equal("^^^^^", lines[2].Trim());
    }

    [Fact]
    public void DeepNestingIsRefusedRatherThanOverflowingTheStack()
    {
        var nested = new string('(', 1000) + "1" + new string(')', 1000);
        Assert.StartsWith("The expression is nested too deeply at position", Parse(nested).Message);

        var chain = string.Join(" + ", Enumerable.Repeat("qty", 1000));
        Assert.StartsWith("The expression is nested too deeply at position", Parse(chain).Message);

        var minus = new string('-', 1000) + "qty";
        Assert.StartsWith("The expression is nested too deeply at position", Parse(minus).Message);
    }

    private static ExpressionException Parse(string text) => Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text));
}
