using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>
/// The bounded heap of ORDER BY ... LIMIT k (with its scan that passes over rows losing on the first
/// key) must choose exactly the first k rows of the full sort: nulls, NaN, infinities and ties included.
/// </summary>
public sealed class RowOrderTests
{
    private const int Rows = 20_000;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TheHeapKeepsTheFirstRowsOfTheFullSort(bool descending, bool nullsFirst)
    {
        var random = new Random(descending ? 11 : 5);
        var floats = new double[Rows];
        var integers = new long[Rows];
        var floatNulls = new NullMask(Rows);
        var integerNulls = new NullMask(Rows);
        for (var i = 0; i < Rows; i++)
        {
            floats[i] = random.Next(40) switch
            {
                0 => double.NaN,
                1 => double.PositiveInfinity,
                2 => double.NegativeInfinity,
                _ => Math.Round(random.NextDouble() * 100, 1), // many ties
            };
            integers[i] = random.Next(-50, 50);
            if (random.Next(25) == 0)
            {
                floatNulls.SetNull(i);
            }

            if (random.Next(30) == 0)
            {
                integerNulls.SetNull(i);
            }
        }

        Column floatKey = new Float64Column(new ColumnSchema("x", ColumnType.Float64), floats, floatNulls);
        Column integerKey = new Int64Column(new ColumnSchema("n", ColumnType.Int64), integers, integerNulls);
        var item = new OrderItem(new LiteralNode(null, 0, 0), descending, nullsFirst);
        foreach (var keys in new[] { new[] { floatKey, integerKey }, [integerKey, floatKey], [floatKey] })
        {
            var items = keys.Select(_ => item).ToArray();
            var sorted = RowOrder.First(keys, items, Rows, Rows);
            foreach (var k in new[] { 1, 10, 100, 1000 })
            {
                Assert.Equal(sorted[..k], RowOrder.First(keys, items, Rows, k));
            }
        }
    }
}
