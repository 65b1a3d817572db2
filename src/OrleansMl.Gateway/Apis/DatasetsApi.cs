using OrleansMl.Catalog;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansMl.Datasets;
using OrleansMl.Gateway.Options;
using OrleansMl.Gateway.Security;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Workspaces;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>/v1/datasets</c>: import (from a server path, an artifact, or a streamed upload), transform and
/// split — each an operation that runs in the background and answers 202 with its status — and
/// describe, head, sample and partitions of a version ("latest" or a number).
/// </summary>
public static class DatasetsApi
{
    private const int MaxWaitSeconds = 300;

    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets").WithTags("Datasets");
        group.MapGet("/", ListAsync).WithName("ListDatasets").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{name}", GetAsync).WithName("GetDataset").RequireAuthorization(GatewayPolicies.Reader);
        group.MapPost("/{name}/imports", ImportAsync).WithName("ImportDataset").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Imports a file the server can read (source.path) or an artifact (source.artifact) as the next version. Answers 202 with the operation; ?wait=N waits up to N seconds for it to finish.");
        group.MapPost("/{name}/uploads", UploadAsync).WithName("UploadDataset").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Streams the request body (CSV, TSV, JSON lines, Parquet, or a .zip/.tar/.tar.gz of image class folders) into the artifact store and imports it. Query: fileName (names the format by its extension), format, delimiter, hasHeader, badRecords, partitions, imageWidth, imageHeight, imageChannels, wait.");
        group.MapPost("/{name}/transforms", TransformAsync).WithName("TransformDataset").RequireAuthorization(GatewayPolicies.Scientist);
        group.MapPost("/{name}/splits", SplitAsync).WithName("SplitDataset").RequireAuthorization(GatewayPolicies.Scientist);
        group.MapGet("/{name}/operations/{id}", OperationAsync).WithName("GetDatasetOperation").RequireAuthorization(GatewayPolicies.Reader);
        group.MapPost("/{name}/operations/{id}/cancel", CancelOperationAsync).WithName("CancelDatasetOperation").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Stops a running import: it ends cancelled and leaves no files. A finished operation is answered as it is; other kinds are 400.");
        group.MapGet("/{name}/versions/{version}", VersionAsync).WithName("GetDatasetVersion").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{name}/versions/{version}/describe", DescribeAsync).WithName("DescribeDataset").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{name}/versions/{version}/head", HeadAsync).WithName("HeadDataset").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{name}/versions/{version}/sample", SampleAsync).WithName("SampleDataset").RequireAuthorization(GatewayPolicies.Reader);
        group.MapGet("/{name}/versions/{version}/lineage", LineageAsync).WithName("GetDatasetLineage").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("The lineage graph around a version: what it came from (parents, the versions a query read, the import source) and what used it (derived versions, experiments, model versions), each up to depth steps (1-10, default 3), at most 200 nodes.");
        group.MapGet("/{name}/versions/{version}/partitions", PartitionsAsync).WithName("GetDatasetPartitions").RequireAuthorization(GatewayPolicies.Reader);
        group.MapPost("/{name}/versions/{version}/predictions", ScoreAsync).WithName("ScoreDataset").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Scores every row with a model version (or an endpoint's main version) in the partition grains and writes the kept columns and the predictions as the next version of 'into' (default {name}-predictions). Answers 202 with that dataset's operation.");
        group.MapGet("/{name}/versions/{version}/export", DatasetExport.ExportAsync).WithName("ExportDataset").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("The whole version as one file, streamed: format csv (default), jsonl or parquet.");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteDataset").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Deletes every version and its files. 409 naming what still uses a version: an operation of the dataset, a running experiment, a k-NN model version.");
        group.MapDelete("/{name}/versions/{version:int}", DeleteVersionAsync).WithName("DeleteDatasetVersion").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Deletes one version and its files; its number is never used again. 409 as for deleting the dataset.");
        return group;
    }

    private static async Task<NoContent> DeleteAsync(string name, IGrainFactory grains)
    {
        await grains.GetGrain<IDatasetGrain>(name).DeleteAsync();
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteVersionAsync(string name, int version, IGrainFactory grains)
    {
        await grains.GetGrain<IDatasetGrain>(name).DeleteVersionAsync(version);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Datasets).ListAsync());

    private static async Task<Results<Ok<DatasetInfo>, ProblemHttpResult>> GetAsync(string name, IGrainFactory grains) =>
        await Dataset(grains, name).GetAsync() is { } info ? TypedResults.Ok(info) : NotFound($"There is no dataset '{name}'.");

    private static async Task<Accepted<DatasetOperation>> ImportAsync(string name, ImportRequest request, int? wait, IGrainFactory grains)
    {
        var grain = Dataset(grains, name);
        return await AcceptedAsync(name, grain, await StartDeadline.WithinAsync(grain.StartImportAsync(request), wait, $"The import into '{name}'"), wait);
    }

    private static async Task<Accepted<DatasetOperation>> UploadAsync(
        string name, HttpContext context, IGrainFactory grains, IArtifactStore store, IOptionsMonitor<GatewayOptions> options,
        string? fileName, string? format, string? delimiter, bool? hasHeader, string? badRecords, int? partitions, int? wait,
        int? imageWidth, int? imageHeight, int? imageChannels, CancellationToken cancellationToken)
    {
        var grain = Dataset(grains, name);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.CurrentValue.MaxDatasetUploadBytes;
        }

        var file = Path.GetFileName(fileName ?? "upload") is { Length: > 0 } safe && ArtifactPathIsValid(safe) ? safe : "upload";
        if (format is null && fileName is null)
        {
            throw FieldError.Invalid("Name the format with 'format' or with a 'fileName' whose extension tells it (.csv, .tsv, .jsonl, .parquet, .zip or .tar.gz of images).", "format");
        }

        // The body streams straight into the store (never buffered whole); the import reads it from there.
        var artifact = $"uploads/{name}/{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}/{file}";
        await store.WriteAsync(artifact, context.Request.Body, ArtifactWriteCondition.NotExists, cancellationToken);
        var request = new ImportRequest(
            new DatasetSource(Artifact: artifact), format,
            new ImportOptions(Delimiter: delimiter, HasHeader: hasHeader, BadRecords: badRecords, Partitions: partitions,
                ImageWidth: imageWidth, ImageHeight: imageHeight, ImageChannels: imageChannels));
        DatasetOperation started;
        try
        {
            started = await StartDeadline.WithinAsync(grain.StartImportAsync(request), wait, $"The import into '{name}'");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await store.DeleteAsync(artifact, CancellationToken.None); // refused before it started (a format, an option): the upload is kept for nothing
            throw;
        }

        return await AcceptedAsync(name, grain, started, wait);
    }

    private static async Task<Accepted<DatasetOperation>> TransformAsync(string name, TransformRequest request, int? wait, IGrainFactory grains)
    {
        // Resolved steps are the platform's own (experiments re-apply them to evaluation rows); a caller's are refused.
        ClientSteps.RefuseResolved(request.Steps ?? []);
        var grain = Dataset(grains, name);
        return await AcceptedAsync(name, grain, await StartDeadline.WithinAsync(grain.StartTransformAsync(request), wait, $"The transform of '{name}'"), wait);
    }

    private static async Task<Accepted<DatasetOperation>> SplitAsync(string name, SplitRequest request, int? wait, IGrainFactory grains)
    {
        var grain = Dataset(grains, name);
        return await AcceptedAsync(name, grain, await StartDeadline.WithinAsync(grain.StartSplitAsync(request), wait, $"The split of '{name}'"), wait);
    }

    private static async Task<Ok<DatasetOperation>> CancelOperationAsync(string name, string id, IGrainFactory grains) =>
        TypedResults.Ok(await Dataset(grains, name).CancelOperationAsync(id));

    private static async Task<Results<Ok<DatasetOperation>, ProblemHttpResult>> OperationAsync(string name, string id, int? wait, IGrainFactory grains)
    {
        var grain = Dataset(grains, name);
        var operation = wait is > 0
            ? await grain.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds)))
            : await grain.GetOperationAsync(id);
        return operation is null ? NotFound($"Dataset '{name}' has no operation '{id}'.") : TypedResults.Ok(operation);
    }

    private static async Task<Results<Ok<DatasetVersionInfo>, ProblemHttpResult>> VersionAsync(string name, string version, IGrainFactory grains)
    {
        var number = ParseVersion(version);
        var info = await Dataset(grains, name).GetAsync();
        var found = info?.Versions.LastOrDefault(v => number is null || v.Version == number);
        return found is null ? NotFound($"Dataset '{name}' has no version '{version}'.") : TypedResults.Ok(found);
    }

    private static async Task<IResult> DescribeAsync(string name, string version, string? columns, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var list = columns?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var json = await Dataset(grains, name).DescribeAsync(ParseVersion(version), list, cancellationToken);
        return TypedResults.Text(json, "application/json");
    }

    private static async Task<Results<Ok<LineageGraph>, ProblemHttpResult>> LineageAsync(string name, string version, int? depth, IGrainFactory grains)
    {
        if (depth is < 1 or > 10)
        {
            throw FieldError.Invalid($"depth must be between 1 and 10; got {depth}.", "depth");
        }

        var graph = await DatasetLineageGraph.BuildAsync(grains, ResourceNames.Validate(name, "dataset"), ParseVersion(version), depth ?? 3);
        return graph is null ? NotFound($"Dataset '{name}' has no version '{version}'.") : TypedResults.Ok(graph);
    }

    private static async Task<IResult> HeadAsync(string name, string version, int? rows, IGrainFactory grains) =>
        RowsResult(await Dataset(grains, name).HeadAsync(ParseVersion(version), Rows(rows)));

    private static async Task<IResult> SampleAsync(string name, string version, int? rows, long? seed, IGrainFactory grains) =>
        RowsResult(await Dataset(grains, name).SampleAsync(ParseVersion(version), Rows(rows), seed ?? 42));

    private static async Task<Ok<IReadOnlyList<PartitionInfo>>> PartitionsAsync(string name, string version, IGrainFactory grains) =>
        TypedResults.Ok(await Dataset(grains, name).GetPartitionsAsync(ParseVersion(version)));

    private static async Task<Accepted<DatasetOperation>> ScoreAsync(string name, string version, ScoreBody body, int? wait, IGrainFactory grains)
    {
        ResourceNames.Validate(name, "dataset");
        var into = body.Into ?? $"{name}-predictions";
        var grain = grains.GetGrain<IDatasetGrain>(ResourceNames.Validate(into, "dataset", "into"));
        var request = new ScoreRequest(name, ParseVersion(version), body.Model, body.ModelVersion, body.Alias, body.Endpoint, body.Columns);
        return await AcceptedAsync(into, grain, await StartDeadline.WithinAsync(grain.StartScoreAsync(request), wait, $"The scoring into '{into}'"), wait);
    }

    private static async Task<Accepted<DatasetOperation>> AcceptedAsync(string name, IDatasetGrain grain, DatasetOperation operation, int? wait)
    {
        if (wait is > 0)
        {
            operation = await grain.WaitUntilFinishedAsync(operation.Id, TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds))) ?? operation;
        }

        return TypedResults.Accepted($"/v1/datasets/{name}/operations/{operation.Id}", operation);
    }

    private static IResult RowsResult(DatasetRows rows) =>
        TypedResults.Text($$"""{"columns":{{System.Text.Json.JsonSerializer.Serialize(rows.Columns, JsonDefaults)}},"rowCount":{{rows.RowCount}},"rows":{{rows.RowsJson}}}""", "application/json");

    private static readonly System.Text.Json.JsonSerializerOptions JsonDefaults = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static int Rows(int? rows) =>
        rows is null ? 10 : rows is >= 0 and <= 10_000 ? rows.Value : throw FieldError.Invalid($"rows must be between 0 and 10000; got {rows}.", "rows");

    /// <summary>"latest" (null) or a positive version number; a 400 on <c>version</c> otherwise.</summary>
    internal static int? ParseVersion(string version) =>
        version == "latest" ? null
        : int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number
        : throw FieldError.Invalid($"version must be 'latest' or a positive number; got '{version}'.", "version");

    private static IDatasetGrain Dataset(IGrainFactory grains, string name) =>
        grains.GetGrain<IDatasetGrain>(ResourceNames.Validate(name, "dataset"));

    private static bool ArtifactPathIsValid(string segment)
    {
        try
        {
            ArtifactPath.Validate(segment);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
