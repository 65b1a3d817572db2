using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrleansMl.Data.Formats.Export;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>GET /v1/datasets/{name}/versions/{version}/export?format=csv|jsonl|parquet</c>: the whole version
/// as one file, streamed. Partitions are read from the store one at a time, in order, and written
/// batch by batch, so memory holds one partition file and one batch, never the version.
/// </summary>
internal static class DatasetExport
{
    private const int BatchRows = 16_384;

    public static async Task ExportAsync(string name, string version, string? format, HttpContext http, IGrainFactory grains, IArtifactStore store)
    {
        var kind = DatasetExportWriter.Parse(format ?? "csv") ?? throw FieldError.Invalid($"format must be csv, jsonl or parquet; got '{format}'.", "format");
        var dataset = await grains.GetGrain<IDatasetGrain>(ResourceNames.Validate(name, "dataset")).GetAsync()
            ?? throw new KeyNotFoundException($"There is no dataset '{name}'.");
        var number = DatasetsApi.ParseVersion(version);
        var info = dataset.Versions.LastOrDefault(v => number is null || v.Version == number)
            ?? throw new KeyNotFoundException($"Dataset '{name}' has no version {version}.");

        var cancellationToken = http.RequestAborted;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = DatasetExportWriter.ContentType(kind);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-v{info.Version}.{DatasetExportWriter.Extension(kind)}\"";
        DatasetExportWriter? writer = null;
        try
        {
            for (var i = 0; i < info.PartitionCount; i++)
            {
                using var part = new MemoryStream();
                await using (var content = await store.OpenReadAsync(DatasetPaths.Part(name, info.Version, i), cancellationToken))
                {
                    await content.CopyToAsync(part, cancellationToken);
                }

                part.Position = 0;
                using var reader = await ParquetDatasetReader.OpenAsync(part, DatasetPaths.Part(name, info.Version, i), cancellationToken: cancellationToken);
                writer ??= await DatasetExportWriter.CreateAsync(http.Response.Body, reader.Schema, kind, cancellationToken);
                while (await reader.ReadBatchAsync(BatchRows, cancellationToken) is { RowCount: > 0 } batch)
                {
                    await writer.WriteAsync(batch, cancellationToken);
                }
            }

            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }
        catch (Exception) when (http.Response.HasStarted)
        {
            // Part of the file is sent: the only honest signal left is a broken response.
            http.Abort();
            throw;
        }
    }
}
