using System.Globalization;
using System.Text.Json;
using OrleansMl.Cli.Datasets;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Experiments;
using OrleansMl.Cli.Output;
using OrleansMl.Cli;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Server.Quickstart;

/// <summary>The loop of <c>quickstart</c>, through the HTTP client like any other user of the platform.</summary>
internal sealed class QuickstartLoop(CliInvocation run, Uri url, bool subset)
{
    private OrleansMlClient Client => run.Client;

    public async Task<QuickstartSummary> RunAsync(string dataset, string endpoint, string images, string labels, string dataDirectory)
    {
        var ct = run.CancellationToken;
        var version = await ImportAsync(dataset, images, labels);
        Say($"[bold]1.[/] {Markup.Escape(dataset)} version {version.Version}: {version.RowCount:N0} images of 28×28 pixels ('pixels', 784 numbers) with a 'label' from 0 to 9.");

        var train = new DatasetRef(dataset, version.Version);
        var experiments = new Dictionary<string, ExperimentSpec>
        {
            ["k-NN"] = new(train, "label", "pixels", "multiclass", "knn", TestFraction: 0.1, Params: new Dictionary<string, string> { ["k"] = "5" }),
            ["logistic regression"] = new(train, "label", "pixels", "multiclass", "logistic_regression", TestFraction: 0.1,
                Params: new Dictionary<string, string> { ["max_iterations"] = subset ? "30" : "100" }),
        };
        var names = experiments.ToDictionary(e => e.Key, e => $"{dataset}-v{version.Version}-{e.Value.Trainer}");
        Say("[bold]2.[/] Training k-NN and logistic regression on 90% of the images, each scored on the other 10%:");
        foreach (var (label, spec) in experiments)
        {
            await Client.Experiments.StartAsync(names[label], spec, ct: ct); // both run at once; the same spec again is the same experiment
        }

        var results = new Dictionary<string, ExperimentInfo>();
        foreach (var label in experiments.Keys)
        {
            results[label] = await ExperimentRunCommand.WaitAsync(run, await Client.Experiments.GetAsync(names[label], ct: ct));
            if (results[label] is not { State: "succeeded", Best: not null })
            {
                throw new CommandFailedException($"The {label} experiment {names[label]} ended {results[label].State}.", $"See why with `orleansml experiment list` and `orleansml experiment compare {names[label]}`.");
            }
        }

        ShowComparison(results);
        var (winner, best) = results.MaxBy(r => r.Value.Best!.Metrics.GetValueOrDefault("accuracy"));
        var model = await Client.Models.RegisterAsync(dataset, new ModelSource(best.Name, best.Best!.Index), ct);
        await Client.Endpoints.SetAsync(endpoint, new EndpointSpec([new EndpointTarget(dataset, Version: model.Version)]), ct);
        Say($"[bold]3.[/] {Markup.Escape(winner)} is more accurate: registered as model '{Markup.Escape(dataset)}' version {model.Version} and deployed behind endpoint '{Markup.Escape(endpoint)}'.");

        var (pixels, truth) = await FirstImageAsync(dataset, version.Version);
        var prediction = await Client.Endpoints.PredictAsync(endpoint, "pixels", [pixels], ct);
        var predicted = (int)(prediction.Predictions[0].ClassIndex ?? -1);
        var request = Path.Combine(dataDirectory, "quickstart", "request.json");
        Directory.CreateDirectory(Path.GetDirectoryName(request)!);
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(new { records = new[] { new { pixels } } }), ct);
        var curl = $"curl -X POST {new Uri(url, $"/v1/endpoints/{endpoint}/predict")} -H 'content-type: application/json' -d @{request}";
        Say($"[bold]4.[/] The first image is labelled {Markup.Escape(Class(truth))}; the endpoint says {Markup.Escape(Class(predicted))} "
            + $"(model version {prediction.Version}, p = {(prediction.Predictions[0].Scores is { } s && predicted >= 0 ? s[predicted] : double.NaN):0.00}). The same request:");
        (run.Json ? run.Error : run.Output).WriteLine(curl);
        Say("Where to look next:");
        Say($"  the API and its OpenAPI document: {new Uri(url, "/openapi/v1.json")}, docs/api.md");
        Say($"  the runs side by side:           orleansml experiment compare {names[winner]}");
        Say($"  the model and its lineage:       orleansml model history {dataset}");
        Say($"  the Orleans dashboard:           {new Uri(url, "/dashboard/")}");
        Say($"  the data (Parquet partitions):   {Path.Combine(dataDirectory, "artifacts", "datasets", dataset)}");
        return new QuickstartSummary(dataset, version.Version, version.RowCount,
            results.ToDictionary(r => r.Key, r => r.Value.Best!.Metrics.GetValueOrDefault("accuracy")), winner, dataset, model.Version, endpoint, predicted, truth, curl);
    }

    /// <summary>Imports the images, unless the dataset already has a version (a second quickstart reuses it).</summary>
    private async Task<DatasetVersion> ImportAsync(string dataset, string images, string labels)
    {
        var ct = run.CancellationToken;
        if ((await Client.Datasets.ListAsync(ct)).Contains(dataset))
        {
            return await Client.Datasets.GetVersionAsync(dataset, "latest", ct);
        }

        var started = await Client.Datasets.ImportAsync(dataset, new ImportRequest(new DatasetSource(Path: images, LabelsPath: labels)), ct: ct);
        var finished = await OperationProgress.WaitAsync(run, dataset, started, $"importing {Path.GetFileName(images)}");
        return await Client.Datasets.GetVersionAsync(dataset, finished.Version.ToString(CultureInfo.InvariantCulture), ct);
    }

    private async Task<(float[] Pixels, int Label)> FirstImageAsync(string dataset, int version)
    {
        var head = await Client.Datasets.HeadAsync(dataset, version.ToString(CultureInfo.InvariantCulture), 1, run.CancellationToken);
        var row = head.Rows[0];
        return ([.. row.GetProperty("pixels").EnumerateArray().Select(p => p.GetSingle())], row.GetProperty("label").GetInt32());
    }

    private void ShowComparison(Dictionary<string, ExperimentInfo> results)
    {
        if (run.Json)
        {
            return;
        }

        var table = new Table().AddColumns("trainer", "experiment", "accuracy", "macro F1", "log loss", "seconds");
        foreach (var (label, info) in results)
        {
            var metrics = info.Best!.Metrics;
            table.AddRow(Markup.Escape(label), Markup.Escape(info.Name), Cells.Number(metrics.GetValueOrDefault("accuracy")), Cells.Number(metrics.GetValueOrDefault("macro_f1")),
                Cells.Number(metrics.GetValueOrDefault("log_loss")), Cells.Number(info.Best.DurationSeconds));
        }

        run.Output.Write(table);
    }

    private static string Class(int label) => label >= 0 && label < FashionMnistFiles.Classes.Length ? FashionMnistFiles.Classes[label] : $"class {label}";

    /// <summary>A step of the story: on the output console, or the error console with <c>--output json</c> (stdout is the summary then).</summary>
    private void Say(string markup) => (run.Json ? run.Error : run.Output).MarkupLine(markup);
}
