using System.Globalization;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>The Tree-structured Parzen Estimator against random search on objectives with a known optimum, sequentially as an experiment runs them.</summary>
public sealed class TpeTests
{
    private static readonly Dictionary<string, ParamRange> Space = new()
    {
        ["l2"] = new(Min: 1e-5, Max: 1, Log: true),
        ["kind"] = new(Values: ["a", "b", "c", "d"]),
        ["depth"] = new(Min: 1, Max: 12, Integer: true),
    };

    /// <summary>Best at l2 = 1e-2, kind b, depth 7; smooth in each.</summary>
    private static double Objective(IReadOnlyDictionary<string, string> p)
    {
        var l2 = Math.Log10(double.Parse(p["l2"], CultureInfo.InvariantCulture));
        var depth = double.Parse(p["depth"], CultureInfo.InvariantCulture);
        return -((l2 + 2) * (l2 + 2)) - (0.05 * (depth - 7) * (depth - 7)) + (p["kind"] == "b" ? 1 : 0);
    }

    private static ExperimentSpec Spec(string strategy, long seed, int runs) =>
        new(new DatasetRef("d"), "label", "features", "multiclass", "knn", SearchSpace: Space, Strategy: strategy, MaxRuns: runs, Seed: seed,
            Params: new Dictionary<string, string> { ["tpe_startup"] = "8", ["k"] = "3" });

    /// <summary>Runs a tpe experiment's plan one trial at a time, each proposal seeing every trial before it finished; the best score.</summary>
    private static double BestOfTpe(long seed, int runs)
    {
        var spec = Spec("tpe", seed, runs);
        var observed = new List<(IReadOnlyDictionary<string, string> Params, double Score)>();
        foreach (var start in SearchSpace.Plan(spec))
        {
            observed.Add((start, Objective(start)));
        }

        while (observed.Count < runs)
        {
            var next = SearchSpace.NextTpe(spec, observed.Count, observed, maximize: true);
            observed.Add((next, Objective(next)));
        }

        return observed.Max(o => o.Score);
    }

    [Fact]
    public void With_the_same_budget_tpe_gets_closer_to_the_optimum_than_random_search()
    {
        const int runs = 40;
        var tpe = new List<double>();
        var random = new List<double>();
        for (var seed = 1; seed <= 30; seed++)
        {
            tpe.Add(BestOfTpe(seed, runs));
            random.Add(SearchSpace.Plan(Spec("random", seed, runs)).Max(Objective));
        }

        // The optimum is 1: the regret of the median experiment, and how often tpe is at least as close.
        var tpeRegret = 1 - tpe.Order().ElementAt(15);
        var randomRegret = 1 - random.Order().ElementAt(15);
        Assert.True(tpeRegret < randomRegret / 2, $"median regret: tpe {tpeRegret:G3}, random {randomRegret:G3}");
        Assert.True(tpe.Zip(random).Count(p => p.First >= p.Second) >= 20, $"tpe at least as good in {tpe.Zip(random).Count(p => p.First >= p.Second)} of 30");
    }

    [Fact]
    public void Proposals_stay_in_the_space_and_depend_only_on_the_spec_the_index_and_the_finished_trials()
    {
        var spec = Spec("tpe", 7, 30);
        var observed = SearchSpace.Plan(spec).Select(p => ((IReadOnlyDictionary<string, string>)p, Objective(p))).ToList();
        var first = SearchSpace.NextTpe(spec, 8, observed, maximize: true);
        Assert.Equal(first, SearchSpace.NextTpe(spec, 8, observed, maximize: true));
        Assert.NotEqual(first, SearchSpace.NextTpe(spec, 9, observed, maximize: true));
        for (var i = 8; i < 60; i++)
        {
            var p = SearchSpace.NextTpe(spec, i, observed, maximize: true);
            Assert.InRange(double.Parse(p["l2"], CultureInfo.InvariantCulture), 1e-5, 1);
            Assert.Contains(p["kind"], Space["kind"].Values!);
            Assert.InRange(int.Parse(p["depth"], CultureInfo.InvariantCulture), 1, 12); // whole numbers
            Assert.Equal("3", p["k"]);
            Assert.False(p.ContainsKey("tpe_startup"));
        }
    }

    [Fact]
    public void The_start_up_trials_are_random_search_and_the_setting_is_checked()
    {
        var plan = SearchSpace.Plan(Spec("tpe", 3, 30));
        Assert.Equal(SearchSpace.Plan(Spec("random", 3, 30)).Take(8), plan);
        Assert.Equal(2, SearchSpace.Plan(Spec("tpe", 3, 2)).Count);
        var error = Assert.Throws<ArgumentException>(() => SearchSpace.Plan(Spec("tpe", 3, 30) with { Params = new Dictionary<string, string> { ["tpe_startup"] = "1" } }));
        Assert.Equal("params.tpe_startup", FieldError.FieldOf(error));
        Assert.Equal("strategy", FieldError.FieldOf(Assert.Throws<ArgumentException>(() => SearchSpace.Plan(Spec("bayes", 3, 30)))));
    }
}
