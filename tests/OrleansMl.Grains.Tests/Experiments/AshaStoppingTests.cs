using OrleansMl.Experiments;

namespace OrleansMl.Grains.Tests.Experiments;

public sealed class AshaStoppingTests
{
    private static AshaStopping Rule(string metric, string? grace = null, string? eta = null)
    {
        var parameters = new Dictionary<string, string>();
        if (grace is not null)
        {
            parameters["stop_grace"] = grace;
        }

        if (eta is not null)
        {
            parameters["stop_eta"] = eta;
        }

        return Assert.IsType<AshaStopping>(StoppingRule.For("asha", parameters, metric));
    }

    [Theory]
    [InlineData(1, 3, new[] { 1, 3, 9, 27 })]
    [InlineData(2, 2, new[] { 2, 4, 8, 16 })]
    public void RungsSitAtGraceTimesPowersOfEta(int grace, int eta, int[] rungs)
    {
        var rule = Rule("accuracy", $"{grace}", $"{eta}");
        var expected = Enumerable.Range(1, 30).Select(e => Array.IndexOf(rungs, e)).ToArray();
        Assert.Equal(expected, Enumerable.Range(1, 30).Select(rule.RungOf).ToArray());
    }

    [Fact]
    public void ARunGoesOnOnlyInTheTopThirdOfWhatTheOthersReportedAtItsRung()
    {
        var rule = Rule("accuracy");
        Assert.Null(rule.Report(0, 1, 0.5)); // the first at a rung has nothing to be compared with
        var reason = rule.Report(1, 1, 0.4); // the 2/3 quantile of [0.5] is 0.5
        Assert.NotNull(reason);
        Assert.Contains("ASHA at rung 0 (epoch 1): accuracy 0.4 is not in the top 1/3 of the 1 other runs", reason, StringComparison.Ordinal);
        Assert.Null(rule.Report(2, 1, 0.6));

        // Others [0.4, 0.5, 0.6]: numpy.quantile(..., 2/3) = 0.5333…
        Assert.Contains("cutoff 0.5333", rule.Report(3, 1, 0.53), StringComparison.Ordinal);
        Assert.Null(rule.Report(4, 1, 0.54));
        Assert.Null(rule.Report(0, 2, 0.01)); // epoch 2 is no rung: nothing is decided there

        Assert.Null(rule.Report(2, 3, 0.7)); // rung 1 (epoch 3) compares with rung 1's values only
        Assert.NotNull(rule.Report(4, 3, 0.69));
    }

    [Fact]
    public void ForErrorsLowerIsBetterAndADivergedRunStops()
    {
        var rule = Rule("rmse", "2", "2");
        Assert.Null(rule.Report(0, 1, 100)); // no rung at epoch 1 with grace 2
        Assert.Null(rule.Report(0, 2, 1.0));
        Assert.Null(rule.Report(1, 2, 0.8)); // better than the median of [1.0]
        Assert.NotNull(rule.Report(2, 2, 0.95)); // the 1/2 quantile of [0.8, 1.0] is 0.9
        Assert.NotNull(rule.Report(3, 2, double.NaN));
        Assert.Null(rule.Report(4, 2, 0.85)); // the NaN is no one's bar: median of [0.8, 0.95, 1.0] is 0.95
    }

    [Fact]
    public void ARungReportedAgainReplacesTheRunsEarlierValue()
    {
        var rule = Rule("accuracy");
        Assert.Null(rule.Report(0, 1, 0.9));
        Assert.NotNull(rule.Report(1, 1, 0.1));
        Assert.Null(rule.Report(1, 1, 0.95)); // its new attempt did better, and is not compared with its old value
        Assert.NotNull(rule.Report(2, 1, 0.91)); // the 2/3 quantile of [0.9, 0.95] is 0.9333
    }

    [Theory]
    [InlineData("stop_eta", "1", "params.stop_eta")]
    [InlineData("stop_grace", "-1", "params.stop_grace")]
    [InlineData("stop_rule", "median", "params.stop_rule")]
    public void BadAshaParametersAreRefusedByName(string key, string value, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => StoppingRule.For("asha", new Dictionary<string, string> { [key] = value }, "accuracy"));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.IsType<AshaStopping>(StoppingRule.For("random", new Dictionary<string, string> { ["stop_rule"] = "asha" }, "accuracy"));
    }
}
