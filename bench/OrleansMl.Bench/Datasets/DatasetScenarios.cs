using System.Diagnostics;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;
using OrleansMl.Testing;

namespace OrleansMl.Bench.Datasets;

/// <summary>
/// Imports (Fashion-MNIST IDX.gz, a generated 1M-row CSV) through the dataset grain against the plain
/// single-thread load of the same file, and describe of the 60k×784 dataset with 1 and with 4 partitions.
/// </summary>
internal static class DatasetScenarios
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        var directory = FashionMnist.EnsureInstalled();
        var images = Path.Combine(directory, FashionMnist.TrainImages);
        var labels = Path.Combine(directory, FashionMnist.TrainLabels);
        var csv = Path.Combine(Path.GetTempPath(), $"orleansml-bench-{settings.CsvRows}.csv");
        if (!File.Exists(csv))
        {
            PlainLoaders.WriteCsv(csv, settings.CsvRows);
        }

        var idxSource = new DatasetSource(images, LabelsPath: labels);
        var idx = await ImportAsync(grains, "Import Fashion-MNIST train (IDX.gz)", idxSource, () => PlainLoaders.LoadIdx(images, labels), new FileInfo(images).Length, settings);
        var table = await ImportAsync(grains, $"Import CSV ({settings.CsvRows / 1_000_000.0:0.#}M rows)", new DatasetSource(csv), () => PlainLoaders.LoadCsv(csv), new FileInfo(csv).Length, settings);
        var describe = await DescribeAsync(grains, idxSource, settings);
        return [idx, table, describe];
    }

    private static async Task<BenchResult> ImportAsync(IGrainFactory grains, string scenario, DatasetSource source, Func<long> plain, long bytes, BenchSettings settings)
    {
        var platform = new double[settings.Repetitions];
        var floor = new double[settings.Repetitions];
        long rows = 0;
        for (var rep = -1; rep < settings.Repetitions; rep++)
        {
            var grain = grains.GetGrain<IDatasetGrain>($"bench-{Guid.NewGuid():N}");
            CollectGarbage(); // each side starts from a clean heap, not with the other's leftovers
            var watch = Stopwatch.StartNew();
            var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(source))).Id, TimeSpan.FromMinutes(10));
            var importSeconds = watch.Elapsed.TotalSeconds;
            if (operation?.State != DatasetOperation.Succeeded)
            {
                throw new InvalidOperationException($"{scenario}: the import ended {operation?.State}: {operation?.Error}");
            }

            rows = operation.RowsRead;
            CollectGarbage();
            watch.Restart();
            var plainRows = plain();
            var plainSeconds = watch.Elapsed.TotalSeconds;
            if (plainRows != rows)
            {
                throw new InvalidOperationException($"{scenario}: the plain load read {plainRows} rows, the import {rows}.");
            }

            if (rep >= 0)
            {
                platform[rep] = rows / importSeconds;
                floor[rep] = rows / plainSeconds;
            }
        }

        var result = BenchResult.FromSamples(scenario, "plain single-thread load into memory", "rows/s", true, platform, floor);
        var megabytes = bytes / (1024.0 * 1024.0);
        return result with
        {
            Note = $"{rows:N0} rows, {megabytes:F1} MiB on disk: {megabytes * result.Value / rows:F1} MiB/s imported (to Parquet partitions in the store) vs {megabytes * result.Reference / rows:F1} MiB/s loaded",
        };
    }

    private static async Task<BenchResult> DescribeAsync(IGrainFactory grains, DatasetSource source, BenchSettings settings)
    {
        var one = await ImportedAsync(grains, source, 1);
        var four = await ImportedAsync(grains, source, 4);
        IReadOnlyList<string> columns = ["label", "pixels"];
        await one.DescribeAsync(null, columns); // load the partition caches first: describe is measured warm
        await four.DescribeAsync(null, columns);
        var single = new double[settings.Repetitions];
        var fanOut = new double[settings.Repetitions];
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            await one.DescribeAsync(null, columns);
            single[rep] = watch.Elapsed.TotalSeconds;
            watch.Restart();
            await four.DescribeAsync(null, columns);
            fanOut[rep] = watch.Elapsed.TotalSeconds;
        }

        return BenchResult.FromSamples("describe 60k×784, 4 partitions", "the same with 1 partition", "s", false, fanOut, single,
            $"{Environment.ProcessorCount} cores: the fan-out can gain at most {Environment.ProcessorCount}x");
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task<IDatasetGrain> ImportedAsync(IGrainFactory grains, DatasetSource source, int partitions)
    {
        var grain = grains.GetGrain<IDatasetGrain>($"bench-describe-{partitions}-{Guid.NewGuid():N}");
        var operation = await grain.WaitUntilFinishedAsync((await grain.StartImportAsync(new ImportRequest(source, Options: new ImportOptions(Partitions: partitions)))).Id, TimeSpan.FromMinutes(10));
        return operation?.State == DatasetOperation.Succeeded ? grain : throw new InvalidOperationException($"Import for describe failed: {operation?.Error}");
    }
}
