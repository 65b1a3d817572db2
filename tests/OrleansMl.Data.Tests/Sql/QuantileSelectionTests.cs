using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>The exact quantiles select values instead of sorting them: every rank must be the sorted array's, NaN above every number (DuckDB's order).</summary>
public sealed class QuantileSelectionTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(1_000, 3)]
    [InlineData(5_001, 5)]
    public void EveryRankIsTheSortedArrays(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next(30) switch
            {
                0 => double.NaN,
                1 => double.NegativeInfinity,
                2 => double.PositiveInfinity,
                _ => random.Next(200) / 4.0, // ties
            };
        }

        var sorted = values.Where(v => !double.IsNaN(v)).Order().Concat(values.Where(double.IsNaN)).ToArray();
        foreach (var k in new[] { 0, length / 4, length / 2, length - 1, random.Next(length) })
        {
            Assert.Equal(sorted[k], QuantileAggregate.Select([.. values], k));
        }
    }

    [Fact]
    public void SortedAndReversedInputsAreSelectedToo()
    {
        var ascending = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        Assert.Equal(50_000, QuantileAggregate.Select([.. ascending], 50_000));
        Assert.Equal(12_345, QuantileAggregate.Select([.. ascending.Reverse()], 12_345));
        Assert.Equal(7, QuantileAggregate.Select([.. Enumerable.Repeat(7.0, 10_000)], 9_999));
    }
}
