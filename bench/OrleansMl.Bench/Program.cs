using OrleansMl.Bench;
using OrleansMl.Bench.Backups;
using OrleansMl.Bench.Calls;
using OrleansMl.Bench.Datasets;
using OrleansMl.Bench.Knn;
using OrleansMl.Bench.Measurement;
using OrleansMl.Bench.Pipelines;
using OrleansMl.Bench.Reporting;
using OrleansMl.Bench.Serving;
using OrleansMl.Bench.Sql;
using OrleansMl.Bench.Storage;
using OrleansMl.Testing;

if (!BenchSettings.TryParse(args, out var settings))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/OrleansMl.Bench [-- [--quick] [--only {string.Join('|', BenchSettings.Groups)}]...]");
    return 2;
}

var startedAt = DateTimeOffset.UtcNow;
Console.WriteLine($"OrleansMl bench, {settings.Name} run: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {settings.Repetitions} repetitions per scenario, medians reported.");
var results = new List<BenchResult>();
await using (var silo = await EmbeddedSilo.StartAsync())
{
    if (settings.Runs("calls"))
    {
        results.AddRange(await GrainThroughputScenario.RunAsync(silo.GrainFactory, settings));
        results.AddRange(await GrainLatencyScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("datasets"))
    {
        results.AddRange(await DatasetScenarios.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("knn"))
    {
        results.AddRange(await KnnScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("knn-experiment"))
    {
        results.AddRange(await KnnExperimentScenario.RunAsync(silo.GrainFactory));
    }

    if (settings.Runs("linear"))
    {
        results.AddRange(await LinearScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("torch"))
    {
        results.AddRange(await TorchScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("asha"))
    {
        results.AddRange(await AshaScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("sql"))
    {
        results.AddRange(await SqlScenario.RunAsync(silo.GrainFactory, settings));
    }

    if (settings.Runs("backup"))
    {
        results.AddRange(await BackupScenario.RunAsync(silo.GrainFactory, silo.DataDirectory, settings));
    }
}

if (settings.Runs("search"))
{
    results.AddRange(OrleansMl.Bench.Search.SearchScenario.Run());
}

if (settings.Runs("cache"))
{
    results.AddRange(await OrleansMl.Bench.Datasets.CacheBudgetScenario.RunAsync());
}

if (settings.Runs("sweep"))
{
    results.AddRange(await SweepScenario.RunAsync());
}

if (settings.Runs("serving"))
{
    results.AddRange(await PlatformServing.RunAsync(settings));
}

if (settings.Runs("ui"))
{
    results.AddRange(await OrleansMl.Bench.Ui.ExperimentPageScenario.RunAsync(settings));
}

if (settings.Runs("pipelines"))
{
    results.AddRange(await PipelineScenarios.RunAsync(settings));
}

if (settings.Runs("storage"))
{
    results.AddRange(await FileSystemStoreScenario.RunAsync(settings));
    results.AddRange(await AzureBlobStoreScenario.RunAsync(settings));
}

Console.WriteLine();
ResultTable.Write(Console.Out, results);
var path = Path.Combine(RepoPaths.Root, "bench", "results", "latest.json");
await ResultJson.WriteAsync(path, settings, startedAt, results);
Console.WriteLine($"Wrote {path}");
return 0;
