using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;
using static OrleansMl.Data.Tests.Expressions.ExpressionTestData;

namespace OrleansMl.Data.Tests.Expressions;

public sealed class ExpressionTypeTests
{
    private static readonly ColumnBatch Data = Batch(
        Int64("qty", 7, -7),
        Float64("price", 2.5, 4),
        String("name", "Apple", "pear"),
        Categorical("category", "a", "b"),
        Boolean("flag", true, false),
        Timestamp("ts", "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"),
        Vector("pixels", 4, 2));

    [Theory]
    [InlineData("qty + 1", ColumnType.Int64)]
    [InlineData("qty - 1", ColumnType.Int64)]
    [InlineData("qty * 2", ColumnType.Int64)]
    [InlineData("qty % 2", ColumnType.Int64)]
    [InlineData("-qty", ColumnType.Int64)]
    [InlineData("qty / 2", ColumnType.Float64)]
    [InlineData("qty * 1.5", ColumnType.Float64)]
    [InlineData("price + qty", ColumnType.Float64)]
    [InlineData("qty + null", ColumnType.Int64)]
    [InlineData("price > 1", ColumnType.Boolean)]
    [InlineData("name = 'x'", ColumnType.Boolean)]
    [InlineData("flag", ColumnType.Boolean)]
    [InlineData("null", ColumnType.Boolean)]
    [InlineData("name", ColumnType.String)]
    [InlineData("category", ColumnType.Categorical)]
    [InlineData("lower(category)", ColumnType.String)]
    [InlineData("coalesce(category, 'x')", ColumnType.String)]
    [InlineData("coalesce(category, category)", ColumnType.Categorical)]
    [InlineData("ts", ColumnType.Timestamp)]
    [InlineData("coalesce(ts, '2024-01-01')", ColumnType.Timestamp)]
    [InlineData("coalesce(qty, price)", ColumnType.Float64)]
    [InlineData("length(name)", ColumnType.Int64)]
    [InlineData("abs(qty)", ColumnType.Int64)]
    [InlineData("abs(price)", ColumnType.Float64)]
    [InlineData("floor(qty)", ColumnType.Int64)]
    [InlineData("floor(price)", ColumnType.Float64)]
    [InlineData("round(qty)", ColumnType.Int64)]
    [InlineData("sqrt(qty)", ColumnType.Float64)]
    public void ResultTypesFollowTheRules(string text, ColumnType type) =>
        Assert.Equal(type, Expression.Compile(text, Data.Schema).ResultType);

    [Fact]
    public void IntegerArithmeticStaysInteger()
    {
        Assert.Equal([8L, -6L], Values(Data, "qty + 1"));
        Assert.Equal([1L, -1L], Values(Data, "qty % 3"));
        Assert.Equal([-7L, 7L], Values(Data, "-qty"));
        Assert.Equal([49L, 49L], Values(Data, "qty * qty"));
    }

    [Fact]
    public void DivisionAlwaysGivesAFloat() =>
        Assert.Equal([3.5, -3.5], Values(Data, "qty / 2"));

    [Fact]
    public void MixingIntegersAndFloatsGivesFloats() =>
        Assert.Equal([17.5, -28.0], Values(Data, "price * qty"));

    [Fact]
    public void IntegerOverflowWraps() =>
        Assert.Equal([long.MinValue, long.MinValue], Values(Data, "9223372036854775807 + 1 + qty - qty"));

    [Fact]
    public void IntegersCompareWithFloatsByValue() =>
        Assert.Equal([true, false], Values(Data, "qty > 6.5"));

    [Fact]
    public void TextComparesOrdinally()
    {
        Assert.Equal([true, false], Values(Data, "name < 'a'"));
        Assert.Equal([false, true], Values(Data, "name = 'pear'"));
        Assert.Equal([true, true], Values(Data, "name != 'apple'"));
        Assert.Equal([true, false], Values(Data, "'b' > category"));
    }

    [Fact]
    public void CategoricalAndStringColumnsCompareWithEachOther() =>
        Assert.Equal([false, false], Values(Data, "category = name"));

    [Fact]
    public void BooleanColumnsArePredicates()
    {
        Assert.Equal([0], Select(Data, "flag"));
        Assert.Equal([1], Select(Data, "NOT flag"));
        Assert.Equal([0], Select(Data, "flag = true and qty > 0"));
        Assert.Equal([0, 1], Select(Data, "flag or flag != true"));
    }

    [Fact]
    public void ConstantsBroadcastToEveryRow()
    {
        Assert.Equal([3L, 3L], Values(Data, "1 + 2"));
        Assert.Equal(["x", "x"], Values(Data, "'x'"));
        Assert.Equal([null, null], Values(Data, "null"));
        Assert.Equal([0, 1], Select(Data, "true"));
        Assert.Empty(Select(Data, "1 > 2"));
    }

    [Fact]
    public void ADerivedColumnCarriesTheOutputNameAndType()
    {
        var column = Expression.Compile("price * qty", Data.Schema).Evaluate(Data, "total");
        Assert.Equal(new ColumnSchema("total", ColumnType.Float64), column.Schema);
        Assert.IsType<Float64Column>(column);

        var passed = Expression.Compile("category", Data.Schema).Evaluate(Data, "copy");
        Assert.Equal(new ColumnSchema("copy", ColumnType.Categorical), passed.Schema);
        Assert.Equal("b", passed.GetValue(1));
    }

    [Fact]
    public void ReferencedColumnsAreListedOnceInOrderOfAppearance() =>
        Assert.Equal(["qty", "price", "name"], Expression.Compile("qty * price > qty or name = 'x' or price < 0", Data.Schema).ReferencedColumns);

    [Fact]
    public void AnExpressionRunsOnAnyBatchThatHasItsColumns()
    {
        var bound = Expression.Compile("qty * 2", Data.Schema);
        var other = Batch(String("note", "a", "b", "c"), Int64("qty", 1, 2, 3));
        Assert.Equal([2L, 4L, 6L], Enumerable.Range(0, 3).Select(i => bound.Evaluate(other, "r").GetValue(i)));
    }

    [Fact]
    public void EvaluatingOnABatchWithoutAColumnSaysWhichIsMissing()
    {
        var bound = Expression.Compile("qty * 2 > price", Data.Schema);
        var error = Assert.Throws<SchemaException>(() => bound.Evaluate(Batch(Int64("qty", 1)), "r"));
        Assert.Contains("'price'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluatingOnABatchWithAnotherTypeIsRefused()
    {
        var bound = Expression.Compile("qty * 2", Data.Schema);
        var error = Assert.Throws<SchemaException>(() => bound.Evaluate(Batch(Float64("qty", 1)), "r"));
        Assert.Contains("as int64; the batch has it as float64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyBatchesGiveEmptyResults()
    {
        var empty = ColumnBatch.Empty(Data.Schema);
        Assert.Equal(0, Expression.Compile("price * qty + 1", Data.Schema).Evaluate(empty, "r").Length);
        Assert.Empty(Expression.Compile("price > 1 and name in ('a')", Data.Schema).SelectRows(empty));
    }
}
