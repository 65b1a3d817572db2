using OrleansMl.Experiments;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>The runs table's server-side filter: conditions on parameters, metrics and status.</summary>
public sealed class RunFilterTests
{
    private static readonly RunSummary Run = new(
        "r", 0, new Dictionary<string, string> { ["l2"] = "0.01", ["solver"] = "lbfgs", ["k"] = "5" }, RunSummary.Succeeded,
        new Dictionary<string, double> { ["accuracy"] = 0.92, ["loss"] = double.NaN }, 1.0, null);

    [Theory]
    [InlineData("accuracy > 0.9", true)]
    [InlineData("accuracy > 0.92", false)]
    [InlineData("accuracy >= 0.92 and l2 <= 0.01", true)]
    [InlineData("accuracy >= 0.92 AND l2 < 0.01", false)]
    [InlineData("l2 = 1e-2", true)] // numbers compare as numbers, not as the text written
    [InlineData("k > 10", false)] // 5, not "5" after "10" as text
    [InlineData("solver = lbfgs", true)]
    [InlineData("solver != 'lbfgs'", false)]
    [InlineData("status = succeeded", true)]
    [InlineData("loss < 1", false)] // NaN passes no ordering
    [InlineData("loss > 1", false)]
    [InlineData("loss != 1", true)]
    [InlineData("momentum > 0", false)] // a run without the name does not pass
    public void ARunPassesOrNot(string filter, bool passes) => Assert.Equal(passes, RunFilter.Parse(filter)!.Passes(Run));

    [Theory]
    [InlineData("accuracy", "'accuracy' is not 'name op value'")]
    [InlineData("accuracy > 0.9 and", "'accuracy > 0.9 and' compares '0.9 and', which is not a number")]
    [InlineData("solver > lbfgs", "text takes = or != only")]
    public void AFilterThatCannotBeReadIsRefusedNamingThePart(string filter, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RunFilter.Parse(filter));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("filter", FieldError.FieldOf(error));
    }

    [Fact]
    public void NoFilterKeepsEveryRun() => Assert.Null(RunFilter.Parse("  "));
}
