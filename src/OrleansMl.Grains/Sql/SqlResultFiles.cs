using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Sql;

/// <summary>
/// The rows of a query run with pages, kept in the store under <c>sql-results/{id}/</c>: Parquet parts
/// (written where they were computed, as CREATE DATASET writes them) and <c>result.json</c> with the
/// columns and each part's rows, written last. Read a page at a time; deleted by DELETE /v1/sql/{id}
/// or by the retention sweep after <c>OrleansMl:Retention:SqlResultHours</c>.
/// </summary>
internal static class SqlResultFiles
{
    public const string Folder = "sql-results/";

    public static string Part(string id, int index) => $"{Folder}{id}/part-{index:D5}.parquet";

    public static async Task WriteManifestAsync(IArtifactStore store, string id, DatasetSchema schema, long[] rows, CancellationToken cancellationToken)
    {
        var manifest = new Manifest(RowJson.Columns(schema), rows);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest));
        await store.WriteAsync(ManifestPath(id), content, cancellationToken: cancellationToken);
    }

    /// <summary>Rows [offset, offset + count) of the kept result, the columns, and all its rows.</summary>
    /// <exception cref="KeyNotFoundException">Nothing is kept under <paramref name="id"/>.</exception>
    public static async Task<(ColumnBatch Rows, long Total)> ReadAsync(IArtifactStore store, string id, long offset, int count, CancellationToken cancellationToken)
    {
        Manifest manifest;
        try
        {
            await using var content = await store.OpenReadAsync(ManifestPath(id), cancellationToken);
            manifest = await JsonSerializer.DeserializeAsync<Manifest>(content, cancellationToken: cancellationToken) ?? throw new KeyNotFoundException(id);
        }
        catch (ArtifactNotFoundException)
        {
            throw new KeyNotFoundException($"No rows are kept for query '{id}': it was not run with pages, has not finished, was deleted, or expired.");
        }

        var schema = RowJson.Schema(manifest.Columns);
        var total = manifest.Rows.Sum();
        var parts = new List<ColumnBatch>();
        long start = 0;
        for (var i = 0; i < manifest.Rows.Length && count > 0; i++)
        {
            var end = start + manifest.Rows[i];
            if (offset < end && manifest.Rows[i] > 0)
            {
                var rows = await DatasetFiles.ReadPartAsync(store, Part(id, i), cancellationToken);
                var from = (int)(offset - start);
                var take = Math.Min(count, rows.RowCount - from);
                parts.Add(rows.Slice(from, take));
                offset += take;
                count -= take;
            }

            start = end;
        }

        return (ColumnBatch.Concat(schema, parts), total);
    }

    /// <summary>Deletes every file kept under <paramref name="id"/>; how many there were.</summary>
    public static async Task<int> DeleteAsync(IArtifactStore store, string id)
    {
        var paths = new List<string>();
        await foreach (var file in store.ListAsync($"{Folder}{id}/"))
        {
            paths.Add(file.Path);
        }

        // The manifest first, so a reader never sees a manifest whose parts are gone.
        foreach (var path in paths.OrderBy(p => p.EndsWith("result.json", StringComparison.Ordinal) ? 0 : 1))
        {
            await store.DeleteAsync(path);
        }

        return paths.Count;
    }

    private static string ManifestPath(string id) => $"{Folder}{id}/result.json";

    private sealed record Manifest(IReadOnlyList<DatasetColumn> Columns, long[] Rows);
}
