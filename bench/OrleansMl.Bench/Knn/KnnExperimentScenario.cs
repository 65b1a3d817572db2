using System.Diagnostics;
using System.Text.Json;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Knn;

/// <summary>
/// The exact k-NN as a user runs it: an experiment (trainer knn, k=5) that classifies Fashion-MNIST's 10,000
/// test images against its 60,000 training images, both imported datasets, timed from the start request to the
/// experiment's end (partitions not yet loaded: the first run after an import) and again (loaded); against
/// scikit-learn's brute-force KNeighborsClassifier fit and predict on the same images (Debian's python3-sklearn,
/// numpy on OpenBLAS), in a Python process on the same cores, alternating with the loaded runs.
/// </summary>
internal static class KnnExperimentScenario
{
    /// <summary>Loaded runs and scikit-learn runs, in turn; medians reported (one cold run: the first after the import).</summary>
    private const int Repetitions = 3;

    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains)
    {
        var train = await ImportAsync(grains, FashionMnist.TrainImages, FashionMnist.TrainLabels);
        var test = await ImportAsync(grains, FashionMnist.TestImages, FashionMnist.TestLabels);
        var (cold, coldRun, accuracy) = await ExperimentAsync(grains, train, test);
        var warm = new double[Repetitions];
        var warmRuns = new double[Repetitions];
        var sklearn = new double[Repetitions];
        JsonElement reference = default;
        for (var rep = 0; rep < Repetitions; rep++)
        {
            (warm[rep], warmRuns[rep], _) = await ExperimentAsync(grains, train, test);
            reference = Sklearn();
            sklearn[rep] = reference.GetProperty("seconds").GetDouble();
        }

        var note = $"10,000 queries × 60,000 rows × 784, k=5; accuracy platform {accuracy:P2}, scikit-learn {reference.GetProperty("accuracy").GetDouble():P2}; "
            + $"scikit-learn's time is fit + predict on arrays in memory (reading the files took it {reference.GetProperty("read_seconds").GetDouble():F1} s more); "
            + $"the platform's run itself took {coldRun:F2} s cold, {Stats.Median(warmRuns):F2} s loaded (median of {Repetitions})";
        return
        [
            BenchResult.FromSamples("k-NN experiment end to end, partitions cold", "scikit-learn brute force fit + predict", "s", false, [cold], sklearn, note),
            BenchResult.FromSamples("k-NN experiment end to end, partitions loaded", "scikit-learn brute force fit + predict", "s", false, warm, sklearn, "the same experiment again: the partition grains hold their rows and indexes"),
        ];
    }

    private static async Task<(double Seconds, double RunSeconds, double Accuracy)> ExperimentAsync(IGrainFactory grains, string train, string test)
    {
        var experiment = grains.GetGrain<IExperimentGrain>($"bench-knn-run-{Guid.NewGuid():N}");
        var watch = Stopwatch.StartNew();
        await experiment.StartAsync(new ExperimentSpec(new DatasetRef(train), "label", "pixels", "multiclass", "knn", Eval: new DatasetRef(test),
            Params: new Dictionary<string, string> { ["k"] = "5" }));
        var done = await experiment.WaitUntilDoneAsync(TimeSpan.FromMinutes(30));
        var seconds = watch.Elapsed.TotalSeconds;
        var run = (await experiment.ListRunsAsync()).Single();
        return done.State == "succeeded" ? (seconds, run.DurationSeconds ?? double.NaN, run.Metrics["accuracy"]) : throw new InvalidOperationException($"The k-NN run ended {done.State}: {run.Error}");
    }

    private static JsonElement Sklearn()
    {
        DebianPackage.EnsureInstalled("python3-sklearn", () => File.Exists("/usr/lib/python3/dist-packages/sklearn/__init__.py"), "scikit-learn for Python 3");
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "bench", "OrleansMl.Bench", "Knn", "sklearn_knn.py"), FashionMnist.DatasetDirectory, "5"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/python3 (Debian's, with python3-sklearn) did not start.");
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        return python.ExitCode == 0 ? JsonDocument.Parse(output).RootElement.Clone() : throw new InvalidOperationException($"scikit-learn's k-NN failed ({python.ExitCode}): {error}");
    }

    private static async Task<string> ImportAsync(IGrainFactory grains, string images, string labels)
    {
        var name = $"bench-knn-{Guid.NewGuid():N}";
        var grain = grains.GetGrain<IDatasetGrain>(name);
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(
            new DatasetSource(FashionMnist.PathOf(images), LabelsPath: FashionMnist.PathOf(labels))))).Id, TimeSpan.FromMinutes(10));
        return operation?.State == DatasetOperation.Succeeded ? name : throw new InvalidOperationException($"Import failed: {operation?.Error}");
    }
}
