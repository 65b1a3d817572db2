using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Models;
using OrleansMl.Serving;

namespace OrleansMl.GrainClient;

/// <summary>
/// The platform through grain calls, for .NET services inside the cluster's network (no HTTP, no JSON):
/// import, train, register, deploy and predict. Register it with
/// <c>services.AddOrleansMlClient(configuration)</c> (or <c>AddOrleansMlGrainClient()</c> beside your own
/// Orleans client); silos can use it too. Predictions go through the gateway's own routing: the
/// endpoint's weights (canary), its shadow and its log sampling, raw records through the version's
/// fitted steps. Long operations wait with bounded grain calls, so they may take longer than a grain call's timeout.
/// </summary>
public sealed class OrleansMlGrainClient(IGrainFactory grains, EndpointRoutes routes, EndpointPredictor predictor, TimeProvider time)
{
    /// <summary>The grains themselves, for everything this facade does not wrap.</summary>
    public IGrainFactory Grains => grains;

    /// <summary>Imports a dataset version and waits for it.</summary>
    /// <exception cref="InvalidOperationException">The import failed; the message is the operation's error.</exception>
    public async Task<DatasetVersionInfo> ImportAsync(string dataset, ImportRequest request, TimeSpan? timeout = null)
    {
        var grain = grains.GetGrain<IDatasetGrain>(dataset);
        var started = await grain.StartImportAsync(request);
        var finished = await grain.WaitUntilFinishedAsync(started.Id, timeout ?? TimeSpan.FromHours(1), time);
        if (finished is not { State: DatasetOperation.Succeeded, Version: { } version })
        {
            throw new InvalidOperationException($"Importing '{dataset}' ended {finished?.State ?? "unknown"}: {finished?.Error}");
        }

        return (await grain.GetAsync())!.Versions.First(v => v.Version == version);
    }

    /// <summary>Starts an experiment (idempotent for the same spec) and waits until it ends.</summary>
    public async Task<ExperimentInfo> RunExperimentAsync(string name, ExperimentSpec spec, TimeSpan? timeout = null)
    {
        var grain = grains.GetGrain<IExperimentGrain>(name);
        await grain.StartAsync(spec);
        return await grain.WaitUntilDoneAsync(timeout ?? TimeSpan.FromHours(24), time);
    }

    /// <summary>Registers the experiment's best run as the model's next version.</summary>
    /// <exception cref="InvalidOperationException">The experiment has no successful run.</exception>
    public async Task<ModelVersionInfo> RegisterBestAsync(string model, string experiment, string by)
    {
        var best = (await grains.GetGrain<IExperimentGrain>(experiment).GetAsync())?.Best
            ?? throw new InvalidOperationException($"Experiment '{experiment}' has no successful run to register.");
        return await grains.GetGrain<IModelGrain>(model).RegisterAsync(new ModelSource(experiment, best.Index), by);
    }

    /// <summary>Creates or updates an endpoint (the versions are loaded before it switches).</summary>
    public Task<EndpointInfo> DeployAsync(string endpoint, EndpointSpec spec, string by) =>
        grains.GetGrain<IEndpointGrain>(endpoint).SetAsync(spec, by);

    /// <summary>Scores <paramref name="rows"/> rows, laid end to end in <paramref name="features"/>, with the version the endpoint's weights pick.</summary>
    /// <exception cref="KeyNotFoundException">There is no such endpoint.</exception>
    /// <exception cref="ArgumentException">The rows do not fit the endpoint's input; the message names the field.</exception>
    public async Task<Prediction> PredictAsync(string endpoint, float[] features, int rows) =>
        await predictor.PredictAsync(await routes.GetAsync(endpoint), new PredictionInput(features, rows));

    /// <summary>
    /// Scores raw records at an endpoint whose versions carry fitted steps: one <see cref="RecordColumn"/> per
    /// input column (<see cref="EndpointInfo.Inputs"/>), <paramref name="rows"/> values each. The answer's
    /// <see cref="Prediction.Classes"/> turn its labels into class values.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or mistyped, or a value cannot go through the steps; the message names the record and column.</exception>
    public async Task<Prediction> PredictRecordsAsync(string endpoint, IReadOnlyList<RecordColumn> columns, int rows) =>
        await predictor.PredictAsync(await routes.GetAsync(endpoint), new PredictionInput([], rows, columns));
}
