using System.Globalization;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Experiments;

namespace OrleansMl.Bench.Search;

/// <summary>
/// Search efficiency of the tpe strategy against random search (the reference) with the same budget, on a known
/// objective with three parameters (a log-scale number, an integer and a choice of four; optimum 1), run trial by trial
/// as an experiment runs them: how many trials each needs to come within 0.1 of the optimum, and the regret left after
/// 60 trials, medians over 50 seeds. Pure planning (the platform's SearchSpace and Tpe), no training.
/// </summary>
internal static class SearchScenario
{
    private const int Budget = 60;
    private const int Seeds = 50;

    private static readonly Dictionary<string, ParamRange> Space = new()
    {
        ["l2"] = new(Min: 1e-5, Max: 1, Log: true),
        ["kind"] = new(Values: ["a", "b", "c", "d"]),
        ["depth"] = new(Min: 1, Max: 12, Integer: true),
    };

    public static BenchResult[] Run()
    {
        var (tpeTrials, tpeRegret, randomTrials, randomRegret) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var tpe = Trials("tpe", seed);
            var random = Trials("random", seed);
            tpeTrials.Add(ToReach(tpe));
            randomTrials.Add(ToReach(random));
            tpeRegret.Add(1 - tpe.Max());
            randomRegret.Add(1 - random.Max());
        }

        return
        [
            BenchResult.FromSamples("tpe search: trials to within 0.1 of the optimum", "random search", "trials", false, [.. tpeTrials], [.. randomTrials],
                $"{Seeds} seeds, at most {Budget} trials each ({Budget + 1} counted when not reached); 8 random start-up trials, then one proposal per finished trial"),
            BenchResult.FromSamples($"tpe search: regret after {Budget} trials", "random search", "regret", false, [.. tpeRegret], [.. randomRegret],
                "1 minus the best score found; the objective is smooth in log(l2) and depth, and adds 1 for one of four kinds"),
        ];
    }

    private static double Objective(IReadOnlyDictionary<string, string> p)
    {
        var l2 = Math.Log10(double.Parse(p["l2"], CultureInfo.InvariantCulture));
        var depth = double.Parse(p["depth"], CultureInfo.InvariantCulture);
        return -((l2 + 2) * (l2 + 2)) - (0.05 * (depth - 7) * (depth - 7)) + (p["kind"] == "b" ? 1 : 0);
    }

    /// <summary>The scores of one experiment's trials in order, each tpe proposal seeing every trial before it.</summary>
    private static List<double> Trials(string strategy, long seed)
    {
        var spec = new ExperimentSpec(new DatasetRef("d"), "label", "features", "multiclass", "knn", SearchSpace: Space, Strategy: strategy, MaxRuns: Budget, Seed: seed);
        var observed = SearchSpace.Plan(spec).Select(p => (p, Objective(p))).ToList();
        while (observed.Count < Budget)
        {
            var next = SearchSpace.NextTpe(spec, observed.Count, [.. observed.Select(o => ((IReadOnlyDictionary<string, string>)o.p, o.Item2))], maximize: true);
            observed.Add((next, Objective(next)));
        }

        return [.. observed.Select(o => o.Item2)];
    }

    private static double ToReach(List<double> scores)
    {
        var index = scores.FindIndex(s => s >= 0.9);
        return index < 0 ? Budget + 1 : index + 1;
    }
}
