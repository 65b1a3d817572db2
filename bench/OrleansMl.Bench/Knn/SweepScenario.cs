using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Orleans.TestingHost;
using OrleansMl.Bench.Measurement;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Hosting.Options;
using OrleansMl.Ml.MlNet;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// A 16-run random sweep (ML.NET SDCA maximum entropy on Fashion-MNIST test images, 80/20 split) on 1
/// and on 2 silo processes (with a gateway process, on Azurite), in runs per minute; and one run's
/// duration in the platform (an in-process silo) next to calling the same trainer directly on the same rows.
/// </summary>
internal static class SweepScenario
{
    private const int Runs = 16;

    public static async Task<BenchResult[]> RunAsync()
    {
        var one = await SweepAsync(1);
        double processesOne, processesTwo;
        await using (var azurite = await AzuriteServer.StartAsync())
        {
            processesOne = await ProcessSweep.RunsPerMinuteAsync(1, Runs, azurite);
            processesTwo = await ProcessSweep.RunsPerMinuteAsync(2, Runs, azurite);
        }

        return
        [
            BenchResult.FromSamples($"{Runs}-run random sweep, 2 silo processes", "the same on 1 silo process", "runs/min", true, [processesTwo], [processesOne],
                $"separate silo processes and a gateway process on Azurite, driven over HTTP; {Environment.ProcessorCount} cores for all of them, 2 concurrent runs per silo: a second silo process adds no cores here, only more processes and runs competing for them"),
            BenchResult.FromSamples("one sweep run in the platform", "the trainer called directly", "s", false, [one.MedianRun], [one.Direct],
                "median run duration (read partitions and the held-out set from the store, fit, score, save the model) vs MlNetTrainer.Train + Predict on the same arrays in memory"),
        ];
    }

    private static async Task<(double RunsPerMinute, double MedianRun, double Direct)> SweepAsync(int silos)
    {
        var directory = Directory.CreateTempSubdirectory("orleansml-bench-sweep-").FullName;
        var options = new OrleansMlOptions { DataDirectory = directory, Datasets = { ImportRoots = [FashionMnist.DatasetDirectory] } };
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansMlStorage(options));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var grains = cluster.Client;
            var dataset = grains.GetGrain<IDatasetGrain>("fashion");
            await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(
                new DatasetSource(FashionMnist.PathOf(FashionMnist.TestImages), LabelsPath: FashionMnist.PathOf(FashionMnist.TestLabels)),
                Options: new ImportOptions(Partitions: 2 * silos)))).Id, TimeSpan.FromMinutes(5));

            var experiment = grains.GetGrain<IExperimentGrain>("sweep");
            var watch = Stopwatch.StartNew();
            await experiment.StartAsync(new ExperimentSpec(new DatasetRef("fashion"), "label", "pixels", "multiclass", "mlnet",
                SearchSpace: new Dictionary<string, ParamRange> { ["l2"] = new(Min: 1e-4, Max: 1, Log: true) },
                Params: new Dictionary<string, string> { ["algorithm"] = "sdca_maxent", ["max_iterations"] = "3" },
                Strategy: "random", MaxRuns: Runs, MaxConcurrentRuns: 2 * silos));
            var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(20));
            var minutes = watch.Elapsed.TotalMinutes;
            var runs = await experiment.ListRunsAsync();
            if (done.State != "succeeded" || runs.Any(r => r.Status != RunSummary.Succeeded))
            {
                throw new InvalidOperationException($"The sweep ended {done.State}: {runs.FirstOrDefault(r => r.Error is not null)?.Error}");
            }

            var durations = runs.Select(r => r.DurationSeconds ?? 0).ToArray();
            var direct = await DirectAsync(cluster, grains, done.Spec, runs[0].Params);
            return (Runs / minutes, Stats.Median(durations), direct);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> DirectAsync(InProcessTestCluster cluster, IGrainFactory grains, ExperimentSpec spec, IReadOnlyDictionary<string, string> parameters)
    {
        var store = cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        var train = await ReadAsync(store, grains, spec.Train);
        var eval = await ReadAsync(store, grains, spec.Eval!);
        var features = (VectorColumn)train[spec.FeatureColumn];
        var labels = ((Float64Column)ColumnCast.Cast(train[spec.LabelColumn], ColumnType.Float64)).Values.ToArray();
        var evalFeatures = (VectorColumn)eval[spec.FeatureColumn];
        var rest = parameters.Where(p => p.Key != "algorithm").ToDictionary(p => p.Key, p => p.Value);
        var watch = Stopwatch.StartNew();
        var ml = new MLContext(seed: 42);
        var (model, _) = MlNetTrainer.Train(ml, "multiclass", "sdca_maxent", features.UnsafeArray, features.Dimension, labels, rest);
        MlNetTrainer.Predict(ml, model, "multiclass", evalFeatures.UnsafeArray, evalFeatures.Dimension);
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<ColumnBatch> ReadAsync(IArtifactStore store, IGrainFactory grains, DatasetRef reference)
    {
        var version = (await grains.GetGrain<IDatasetGrain>(reference.Name).GetAsync())!.Versions.Single(v => v.Version == reference.Version);
        return await DatasetFiles.ReadAllAsync(store, reference.Name, version, CancellationToken.None);
    }
}
