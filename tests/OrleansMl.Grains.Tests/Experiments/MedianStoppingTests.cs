using OrleansMl.Experiments;

namespace OrleansMl.Grains.Tests.Experiments;

public sealed class MedianStoppingTests
{
    private static StoppingRule Rule(string metric, int grace = 2, int minRuns = 3) =>
        Assert.IsType<MedianStopping>(StoppingRule.For("random", new Dictionary<string, string> { ["stop_rule"] = "median", ["stop_grace"] = $"{grace}", ["stop_min_runs"] = $"{minRuns}" }, metric));

    [Fact]
    public void ARunWorseThanTheMedianOfTheOthersRunningAveragesStopsAfterTheGracePeriod()
    {
        var rule = Rule("accuracy");
        double[][] others = [[0.5, 0.6, 0.7], [0.55, 0.65, 0.75], [0.6, 0.7, 0.8]];
        for (var run = 0; run < 3; run++)
        {
            for (var epoch = 0; epoch < 3; epoch++)
            {
                Assert.Null(rule.Report(run, epoch + 1, others[run][epoch]));
            }
        }

        Assert.Null(rule.Report(3, 1, 0.2)); // within the grace period
        var reason = rule.Report(3, 2, 0.25); // best 0.25 against the median of 0.55, 0.6, 0.65
        Assert.NotNull(reason);
        Assert.Contains("median stopping rule after epoch 2", reason, StringComparison.Ordinal);
        Assert.Contains("0.25", reason, StringComparison.Ordinal);
        Assert.Contains("0.6,", reason, StringComparison.Ordinal);

        Assert.Null(rule.Report(4, 1, 0.59));
        Assert.Null(rule.Report(4, 2, 0.61)); // at the median or better: goes on (its best, 0.61, beats 0.6)
    }

    [Fact]
    public void TooFewOtherRunsNeverStopARunAndLowerIsBetterForErrors()
    {
        var rule = Rule("rmse", grace: 1, minRuns: 2);
        Assert.Null(rule.Report(0, 1, 1.0));
        Assert.Null(rule.Report(1, 1, 50)); // one other run only
        Assert.Null(rule.Report(2, 1, 0.9));
        Assert.NotNull(rule.Report(3, 1, 60)); // others' averages 1.0, 50, 0.9: median 1.0; 60 is worse for rmse
        Assert.Null(rule.Report(4, 1, 0.5));
    }

    [Fact]
    public void AnEpochReportedAgainReplacesWhatTheEarlierAttemptSaid()
    {
        var rule = Rule("accuracy", grace: 1, minRuns: 1);
        Assert.Null(rule.Report(0, 1, 0.9));
        Assert.NotNull(rule.Report(1, 1, 0.1));
        Assert.Null(rule.Report(1, 1, 0.95)); // a new attempt of run 1 did better: its first epoch is this value now
    }

    [Theory]
    [InlineData("stop_rule", "hyperband", "params.stop_rule")]
    [InlineData("stop_grace", "0", "params.stop_grace")]
    [InlineData("stop_min_runs", "x", "params.stop_min_runs")]
    public void BadStoppingParametersAreRefusedByName(string key, string value, string field)
    {
        var parameters = new Dictionary<string, string> { ["stop_rule"] = "median", [key] = value };
        var error = Assert.Throws<ArgumentException>(() => StoppingRule.For("random", parameters, "accuracy"));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Null(StoppingRule.For("random", new Dictionary<string, string>(), "accuracy"));
    }
}
