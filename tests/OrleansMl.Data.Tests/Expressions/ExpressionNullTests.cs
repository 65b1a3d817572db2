using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using static OrleansMl.Data.Tests.Expressions.ExpressionTestData;

namespace OrleansMl.Data.Tests.Expressions;

public sealed class ExpressionNullTests
{
    // Every combination of true, false and null.
    private static readonly ColumnBatch Logic = Batch(
        Boolean("a", true, true, true, false, false, false, null, null, null),
        Boolean("b", true, false, null, true, false, null, true, false, null));

    private static readonly ColumnBatch Numbers = Batch(
        Int64("i", 7, 7, null, -7, long.MinValue),
        Int64("d", 2, 0, 2, -1, -1),
        Float64("x", 7.5, 7.5, null, -7.5, 1),
        Float64("z", 2, 0, 2, -0.0, 1));

    [Fact]
    public void AndIsKleene() =>
        Assert.Equal([true, false, null, false, false, false, null, false, null], Values(Logic, "a AND b"));

    [Fact]
    public void OrIsKleene() =>
        Assert.Equal([true, true, true, true, false, null, true, null, null], Values(Logic, "a OR b"));

    [Fact]
    public void NotKeepsNull() =>
        Assert.Equal([false, false, false, true, true, true, null, null, null], Values(Logic, "NOT a"));

    [Fact]
    public void KleeneLogicHoldsWithConstants()
    {
        Assert.Equal([false, false, false, false, false, false, false, false, false], Values(Logic, "a AND false"));
        Assert.Equal([true, true, true, true, true, true, true, true, true], Values(Logic, "null OR true OR a"));
        Assert.Equal([null, null, null, false, false, false, null, null, null], Values(Logic, "a AND null"));
        Assert.Equal([true, true, true, null, null, null, null, null, null], Values(Logic, "a OR null"));
    }

    [Fact]
    public void AFilterKeepsOnlyTrueRows()
    {
        Assert.Equal([0], Select(Logic, "a AND b"));
        Assert.Equal([0, 1, 2, 3, 6], Select(Logic, "a OR b"));
        Assert.Equal([3, 4, 5], Select(Logic, "NOT a"));
        Assert.Empty(Select(Logic, "a = null"));
    }

    [Fact]
    public void IsNullIsNeverNull()
    {
        Assert.Equal([false, false, false, false, false, false, true, true, true], Values(Logic, "a IS NULL"));
        Assert.Equal([true, true, false, true, true, false, true, true, false], Values(Logic, "b IS NOT NULL"));
        Assert.Equal([false, false, true, false, false], Values(Numbers, "i + 1 IS NULL"));
        Assert.Equal([true, true, true, true, true], Values(Numbers, "null IS NULL"));
    }

    [Fact]
    public void ArithmeticAndComparisonWithNullGiveNull()
    {
        Assert.Equal([9L, 7L, null, -8L, long.MaxValue], Values(Numbers, "i + d"));
        Assert.Equal([null, null, null, null, null], Values(Numbers, "i + null"));
        Assert.Equal([true, true, null, false, false], Values(Numbers, "i > 0"));
        Assert.Equal([null, null, null, null, null], Values(Numbers, "i = null"));
    }

    [Fact]
    public void DivisionByZeroGivesNull()
    {
        Assert.Equal([3.5, null, null, 7.0, 9.223372036854775808E18], Values(Numbers, "i / d"));
        Assert.Equal([3.75, null, null, null, 1.0], Values(Numbers, "x / z"));
        Assert.Equal([null, null, null, null, null], Values(Numbers, "i / 0"));
        Assert.Equal([null, null, null, null, null], Values(Numbers, "x / 0.0"));
        Assert.Equal([0.5, null, 0.5, null, 1.0], Values(Numbers, "1 / z"));
    }

    [Fact]
    public void ModuloByZeroGivesNull()
    {
        Assert.Equal([1L, null, null, 0L, 0L], Values(Numbers, "i % d"));
        Assert.Equal([1.5, null, null, null, 0.0], Values(Numbers, "x % z"));
        Assert.Equal([null, null, null, null, null], Values(Numbers, "i % 0"));
        Assert.Equal([1L, 1L, null, -1L, 0L], Values(Numbers, "i % 2"));
    }

    [Fact]
    public void InIsTrueOnAMatchAndNullWhenTheAnswerIsUnknown()
    {
        Assert.Equal([true, true, null, false, false], Values(Numbers, "i IN (7, 8)"));
        Assert.Equal([true, true, null, null, null], Values(Numbers, "i IN (7, null)"));
        Assert.Equal([true, true, null, true, false], Values(Numbers, "x IN (7.5, -7.5)"));
        Assert.Equal([true, true, null, false, false], Values(Numbers, "i IN (7.0, 8.5)"));
    }

    [Fact]
    public void NotInIsFalseOnAMatchAndNeverTrueWhenTheListHoldsNull()
    {
        Assert.Equal([false, false, null, true, true], Values(Numbers, "i NOT IN (7, 8)"));
        Assert.Equal([false, false, null, null, null], Values(Numbers, "i NOT IN (7, null)"));
        Assert.Empty(Select(Numbers, "i NOT IN (1, null)"));
    }

    [Fact]
    public void TextInFollowsTheSameNullRules()
    {
        var batch = Batch(Categorical("c", "a", "b", null, "a", "c"));
        Assert.Equal([true, true, null, true, false], Values(batch, "c IN ('a', 'b')"));
        Assert.Equal([false, false, null, false, true], Values(batch, "c NOT IN ('a', 'b')"));
        Assert.Equal([true, null, null, true, null], Values(batch, "c IN ('a', null)"));
        Assert.Equal([4], Select(batch, "c not in ('a', 'b')"));
    }

    [Fact]
    public void LongInListsGiveTheSameAnswers()
    {
        var many = string.Join(", ", Enumerable.Range(100, 40));
        Assert.Equal([true, true, null, false, false], Values(Numbers, $"i IN ({many}, 7)"));
        var words = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"'w{i}'"));
        Assert.Equal([true, false, null, true, false], Values(Batch(String("s", "a", "b", null, "a", "c")), $"s IN ({words}, 'a')"));
    }

    [Fact]
    public void BooleanInUsesTheSameRules() =>
        Assert.Equal([true, true, true, null, null, null, null, null, null], Values(Logic, "a IN (true, null)"));

    [Fact]
    public void BetweenIncludesItsBoundsAndIsNullForNull()
    {
        Assert.Equal([true, true, null, false, false], Values(Numbers, "i BETWEEN -5 AND 7"));
        Assert.Equal([false, false, null, true, true], Values(Numbers, "i NOT BETWEEN -5 AND 7"));
        Assert.Equal([true, true, null, false, true], Values(Numbers, "x BETWEEN 1 AND 7.5"));
    }

    [Fact]
    public void MathOutsideItsDomainGivesNull()
    {
        var batch = Batch(Float64("x", 4, -4, 0, null));
        Assert.Equal([2.0, null, 0.0, null], Values(batch, "sqrt(x)"));
        Assert.Equal([Math.Log(4), null, null, null], Values(batch, "log(x)"));
    }

    [Fact]
    public void CoalesceTakesTheFirstValueThatIsNotNull()
    {
        var batch = Batch(Int64("a", 1, null, null), Int64("b", 10, 20, null), String("s", null, "x", null));
        Assert.Equal([1L, 20L, -1L], Values(batch, "coalesce(a, b, -1)"));
        Assert.Equal([1L, 20L, null], Values(batch, "coalesce(a, b)"));
        Assert.Equal([1.0, 20.0, 0.5], Values(batch, "coalesce(a, null, b, 0.5)"));
        Assert.Equal(["?", "x", "?"], Values(batch, "coalesce(s, '?')"));
        Assert.Equal([null, "x", null], Values(batch, "coalesce(null, s)"));
        Assert.Equal([false, true, false], Values(batch, "coalesce(a > 0, b > 10, false) and coalesce(s, 'y') = 'x' or false"));
    }

    [Fact]
    public void NullRowsOfDerivedColumnsHoldTheDefault()
    {
        var column = Assert.IsType<Float64Column>(Derive(Numbers, "x / z"));
        Assert.Equal(0.0, column.Values[1]);
        Assert.True(column.IsNull(1));
        Assert.Equal(3, column.CountNulls());
    }

    private static Column Derive(ColumnBatch batch, string text) =>
        Expression.Compile(text, batch.Schema).Evaluate(batch, "r");
}
