using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// An ASHA sweep against random search with the same trials: the same seed draws the same configurations
/// (MLPs on Fashion-MNIST's 10,000 test images, 80/20 split: learning rate, widths, optimiser, batch size),
/// two runs at a time, each given the same epochs; random search trains every trial to the end, ASHA stops
/// the ones behind at its rungs (epochs 1, 3, 9). Compared: the wall time until a finished run first reaches
/// the accuracy both searches reach (the lower of their best), and each search's whole time.
/// </summary>
internal static class AshaScenario
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var (trials, epochs) = settings.Name == "quick" ? (8, 3) : (32, 9);
        var dataset = $"bench-asha-{Guid.NewGuid():N}";
        var grain = grains.GetGrain<IDatasetGrain>(dataset);
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)), Options: new ImportOptions(Partitions: 2)))).Id, TimeSpan.FromMinutes(10));
        if (operation?.State != DatasetOperation.Succeeded)
        {
            throw new InvalidOperationException($"Import failed: {operation?.Error}");
        }

        var random = await SearchAsync(grains, dataset, "random", trials, epochs);
        var asha = await SearchAsync(grains, dataset, "asha", trials, epochs);
        var target = Math.Min(random.Best, asha.Best);
        var note = $"{trials} trials, {epochs} epochs each at most, 2 at a time on {Environment.ProcessorCount} cores; best accuracy random {random.Best:P2} "
            + $"(whole search {random.Seconds:F0} s, {random.Epochs} epochs trained), ASHA {asha.Best:P2} (whole search {asha.Seconds:F0} s, {asha.Epochs} epochs trained, {asha.Stopped} trials stopped early); "
            + $"target: the lower best, {target:P2}";
        return
        [
            BenchResult.FromSamples($"ASHA sweep, {trials} trials: time to the accuracy both reach", "random search, same trials", "s", false, [asha.TimeTo(target)], [random.TimeTo(target)], note),
            BenchResult.FromSamples($"ASHA sweep, {trials} trials: whole search", "random search, same trials", "s", false, [asha.Seconds], [random.Seconds], "ASHA's slots go to new trials as soon as a trial stops at a rung"),
        ];
    }

    private sealed record Search(double Best, double Seconds, int Epochs, int Stopped, List<(double Seconds, double Accuracy)> Finished)
    {
        /// <summary>Seconds from the start until a finished run first reached <paramref name="accuracy"/>.</summary>
        public double TimeTo(double accuracy) => Finished.Where(f => f.Accuracy >= accuracy).Min(f => f.Seconds);
    }

    private static async Task<Search> SearchAsync(IGrainFactory grains, string dataset, string strategy, int trials, int epochs)
    {
        var experiment = grains.GetGrain<IExperimentGrain>($"bench-{strategy}-{Guid.NewGuid():N}");
        var watch = Stopwatch.StartNew();
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(dataset), "label", "pixels", "multiclass", "torch",
            SearchSpace: new Dictionary<string, ParamRange>
            {
                ["lr"] = new(Min: 1e-5, Max: 0.3, Log: true),
                ["hidden"] = new(Values: ["64", "256", "256,128"]),
                ["optimizer"] = new(Values: ["sgd", "adam"]),
                ["batch_size"] = new(Values: ["32", "128"]),
            },
            Params: new Dictionary<string, string> { ["epochs"] = $"{epochs}", ["input_scale"] = $"{1.0 / 255:R}" },
            Strategy: strategy, MaxRuns: trials, MaxConcurrentRuns: 2, Seed: 7));

        // The time each run is first seen finished, as the experiment streams its runs' changes.
        var finished = new List<(double Seconds, double Accuracy)>();
        var seen = new HashSet<int>();
        await foreach (var run in experiment.WatchAsync())
        {
            if (run.Status == RunSummary.Succeeded && seen.Add(run.Index))
            {
                finished.Add((watch.Elapsed.TotalSeconds, run.Metrics["accuracy"]));
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(60));
        var runs = await experiment.ListRunsAsync();
        if (done.State != "succeeded" || runs.Any(r => r.Status != RunSummary.Succeeded))
        {
            throw new InvalidOperationException($"The {strategy} search ended {done.State}: {runs.FirstOrDefault(r => r.Error is not null)?.Error}");
        }

        return new Search(runs.Max(r => r.Metrics["accuracy"]), seconds, (int)runs.Sum(r => r.Metrics["epochs"]), runs.Count(r => r.Metrics.ContainsKey("stopped_early")), finished);
    }
}
