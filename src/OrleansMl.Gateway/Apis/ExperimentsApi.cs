using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Catalog;
using OrleansMl.Experiments;
using OrleansMl.Gateway.Security;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Workspaces;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>/v1/experiments</c> and <c>/v1/runs</c>: start an experiment, follow it (JSON, long-poll or a
/// server-sent event stream of run updates), list and compare runs, cancel, read a run's metric history.
/// </summary>
public static class ExperimentsApi
{
    private const int MaxWaitSeconds = 300;

    public static void MapExperimentsApi(this IEndpointRouteBuilder routes)
    {
        var experiments = routes.MapGroup("/v1/experiments").WithTags("Experiments");
        experiments.MapGet("/", ListAsync).WithName("ListExperiments").RequireAuthorization(GatewayPolicies.Reader);
        experiments.MapPut("/{name}", StartAsync).WithName("StartExperiment").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Creates and starts the experiment (idempotent for the same spec). Answers 202; ?wait=N waits up to N seconds for it to finish.");
        experiments.MapGet("/{name}", GetAsync).WithName("GetExperiment").RequireAuthorization(GatewayPolicies.Reader);
        experiments.MapGet("/{name}/runs", RunsAsync).WithName("ListRuns").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("Runs sorted by a metric (best first unless descending says otherwise), by a parameter or by index; filter keeps those that pass, e.g. 'accuracy > 0.9 and l2 <= 0.01 and status = succeeded'; skip/take page through them.");
        experiments.MapGet("/{name}/compare", CompareAsync).WithName("CompareRuns").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("The named runs (?runs=0,3,7 by index) side by side: parameters, metrics, silos, attempts, artifacts.");
        experiments.MapGet("/{name}/watch", Watch).WithName("WatchExperiment").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("Server-sent events: every run's state, then each change as it happens, until the experiment ends.");
        experiments.MapPost("/{name}/cancel", CancelAsync).WithName("CancelExperiment").RequireAuthorization(GatewayPolicies.Scientist);
        experiments.MapDelete("/{name}", DeleteAsync).WithName("DeleteExperiment").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Deletes a finished experiment with its runs, their artifacts and metric histories (409 while it runs). Registered model versions are copies and stay, as do the datasets its split wrote.");

        var runs = routes.MapGroup("/v1/runs").WithTags("Experiments");
        runs.MapGet("/{experiment}/{index:int}", RunAsync).WithName("GetRun").RequireAuthorization(GatewayPolicies.Reader);
        runs.MapGet("/{experiment}/{index:int}/metrics", MetricsAsync).WithName("GetRunMetrics").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("The run's per-step metric history as JSON lines.");
        runs.MapPost("/{experiment}/{index:int}/cancel", CancelRunAsync).WithName("CancelRun").RequireAuthorization(GatewayPolicies.Scientist);
        runs.MapDelete("/{experiment}/{index:int}", DeleteRunAsync).WithName("DeleteRun").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Deletes a finished run: its artifacts and metric history; listings and the best run leave it out (409 while it runs).");
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Experiments).ListAsync());

    private static async Task<Accepted<ExperimentInfo>> StartAsync(string name, ExperimentSpec spec, int? wait, IGrainFactory grains)
    {
        var grain = Experiment(grains, name);
        var info = await StartDeadline.WithinAsync(grain.StartAsync(spec), wait, $"Experiment '{name}'");
        if (wait is > 0)
        {
            info = await grain.WaitUntilDoneAsync(TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds)));
        }

        return TypedResults.Accepted($"/v1/experiments/{name}", info);
    }

    private static async Task<Results<Ok<ExperimentInfo>, ProblemHttpResult>> GetAsync(string name, int? wait, IGrainFactory grains)
    {
        var grain = Experiment(grains, name);
        var info = await grain.GetAsync();
        if (info is not null && wait is > 0)
        {
            info = await grain.WaitUntilDoneAsync(TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds)));
        }

        return info is null ? NotFound($"There is no experiment '{name}'.") : TypedResults.Ok(info);
    }

    private static async Task<Ok<IReadOnlyList<RunSummary>>> RunsAsync(string name, string? sortBy, bool? descending, int? skip, int? take, string? filter, IGrainFactory grains) =>
        TypedResults.Ok(await Experiment(grains, name).ListRunsAsync(sortBy, descending, skip ?? 0, take ?? 100, filter));

    private static async Task<Ok<RunInfo?[]>> CompareAsync(string name, string runs, IGrainFactory grains)
    {
        var indexes = runs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : throw FieldError.Invalid($"runs must be run indexes separated by commas; got '{r}'.", "runs"))
            .ToArray();
        return TypedResults.Ok(await Task.WhenAll(indexes.Select(i => Run(grains, Experiment(grains, name).GetPrimaryKeyString(), i).GetAsync())));
    }

    private static ServerSentEventsResult<RunSummary> Watch(string name, IGrainFactory grains, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(Experiment(grains, name).WatchAsync(cancellationToken), "run");

    private static async Task<Ok<ExperimentInfo>> CancelAsync(string name, IGrainFactory grains) =>
        TypedResults.Ok(await Experiment(grains, name).CancelAsync());

    private static async Task<NoContent> DeleteAsync(string name, IGrainFactory grains)
    {
        await Experiment(grains, name).DeleteAsync();
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteRunAsync(string experiment, int index, IGrainFactory grains)
    {
        await Experiment(grains, experiment).DeleteRunAsync(index);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RunInfo>, ProblemHttpResult>> RunAsync(string experiment, int index, IGrainFactory grains) =>
        await Run(grains, experiment, index).GetAsync() is { } info ? TypedResults.Ok(info) : NotFound($"Experiment '{experiment}' has no run {index}.");

    private static async Task<IResult> MetricsAsync(string experiment, int index, IGrainFactory grains, IArtifactStore store, CancellationToken cancellationToken)
    {
        if (await Run(grains, experiment, index).GetAsync() is not { } info)
        {
            return NotFound($"Experiment '{experiment}' has no run {index}.");
        }

        var lines = new StringBuilder();
        await foreach (var segment in store.ListAsync(info.MetricHistoryPath, cancellationToken))
        {
            await using var content = await store.OpenReadAsync(segment.Path, cancellationToken);
            using var reader = new StreamReader(content);
            lines.Append(await reader.ReadToEndAsync(cancellationToken));
        }

        return TypedResults.Text(lines.ToString(), "application/x-ndjson");
    }

    private static async Task<NoContent> CancelRunAsync(string experiment, int index, IGrainFactory grains)
    {
        await Run(grains, experiment, index).CancelAsync();
        return TypedResults.NoContent();
    }

    private static IExperimentGrain Experiment(IGrainFactory grains, string name) =>
        grains.GetGrain<IExperimentGrain>(ResourceNames.Validate(name, "experiment"));

    private static IRunGrain Run(IGrainFactory grains, string experiment, int index) =>
        grains.GetGrain<IRunGrain>(IRunGrain.KeyOf(ResourceNames.Validate(experiment, "experiment"), index));

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
