using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>
/// <c>/v1/datasets</c>. Import, upload, transform and split start an operation and answer at once
/// (202); pass <c>wait</c> to let the server wait up to that long (at most 300 s) for it to finish, or
/// follow it with <see cref="WaitAsync"/>. <c>version</c> is a number or <c>latest</c>.
/// </summary>
public sealed class DatasetsClient
{
    private const string Root = "v1/datasets";

    private readonly ApiConnection _api;

    internal DatasetsClient(ApiConnection api) => _api = api;

    /// <summary>The names of all datasets.</summary>
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<string>>(Root, ct);

    /// <summary>A dataset's versions and recent operations; 404 when there is none.</summary>
    public Task<DatasetInfo> GetAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<DatasetInfo>(DatasetPath(name), ct);

    /// <summary>Stops a running import (scientist): it ends cancelled and leaves no files.</summary>
    public Task<DatasetOperation> CancelOperationAsync(string name, string operationId, CancellationToken ct = default) =>
        _api.SendAsync<DatasetOperation>(HttpMethod.Post, $"{DatasetPath(name)}/operations/{Query.Segment(operationId)}/cancel", RequestBody.None, ct);

    /// <summary>Deletes every version and its files (admin); refused (409, naming it) while something uses a version.</summary>
    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, DatasetPath(name), RequestBody.None, ct);

    /// <summary>Deletes one version and its files (admin); its number is never reused. Refused (409) while something uses it.</summary>
    public Task DeleteVersionAsync(string name, int version, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, VersionPath(name, version.ToString(System.Globalization.CultureInfo.InvariantCulture)), RequestBody.None, ct);

    /// <summary>Imports a file the server can read, or an artifact, as the next version.</summary>
    public Task<DatasetOperation> ImportAsync(string name, ImportRequest request, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StartAsync(name, "imports", RequestBody.Json(request), wait, ct);
    }

    /// <summary>
    /// Streams <paramref name="content"/> (CSV, TSV, JSON lines or Parquet) to the gateway and imports it.
    /// <paramref name="fileName"/>'s extension names the format unless <see cref="UploadOptions.Format"/> does.
    /// A seekable stream is sent from its current position and may be re-sent on 503/429; a non-seekable one
    /// is sent once and the call is not retried. The stream is left open.
    /// </summary>
    public Task<DatasetOperation> UploadAsync(string name, Stream content, string fileName, UploadOptions? options = null, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var path = Query.With(
            $"{DatasetPath(name)}/uploads",
            ("fileName", fileName),
            ("format", options?.Format),
            ("delimiter", options?.Delimiter),
            ("hasHeader", options?.HasHeader),
            ("badRecords", options?.BadRecords),
            ("partitions", options?.Partitions),
            ("imageWidth", options?.ImageWidth),
            ("imageHeight", options?.ImageHeight),
            ("imageChannels", options?.ImageChannels),
            ("wait", Query.WaitSeconds(wait)));
        return _api.SendAsync<DatasetOperation>(HttpMethod.Post, path, RequestBody.Stream(content), ct);
    }

    /// <summary>Applies transform steps to a version and stores the result as the next version.</summary>
    public Task<DatasetOperation> TransformAsync(string name, TransformRequest request, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StartAsync(name, "transforms", RequestBody.Json(request), wait, ct);
    }

    /// <summary>Splits a version into a train and a test dataset.</summary>
    public Task<DatasetOperation> SplitAsync(string name, SplitRequest request, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StartAsync(name, "splits", RequestBody.Json(request), wait, ct);
    }

    /// <summary>An operation's state; with <paramref name="wait"/>, once it finished or that time passed.</summary>
    public Task<DatasetOperation> GetOperationAsync(string name, string operationId, TimeSpan? wait = null, CancellationToken ct = default) =>
        _api.GetAsync<DatasetOperation>(Query.With($"{DatasetPath(name)}/operations/{Query.Segment(operationId)}", ("wait", Query.WaitSeconds(wait))), ct);

    /// <summary>
    /// Follows an operation until it is no longer running, with server-side waits of at most 20 s a call (less when the timeout is short),
    /// reporting each state seen. Returns the last state, succeeded or failed (a failure is not thrown:
    /// see <see cref="DatasetOperation.Error"/>).
    /// </summary>
    public async Task<DatasetOperation> WaitAsync(string name, DatasetOperation operation, IProgress<DatasetOperation>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var current = operation;
        while (!current.IsFinished)
        {
            current = await GetOperationAsync(name, current.Id, _api.PollWait, ct).ConfigureAwait(false);
            progress?.Report(current);
        }

        return current;
    }

    /// <summary>One version's columns, row count, partitions and lineage.</summary>
    public Task<DatasetVersion> GetVersionAsync(string name, string version = "latest", CancellationToken ct = default) =>
        _api.GetAsync<DatasetVersion>(VersionPath(name, version), ct);

    /// <summary>
    /// Column statistics: <c>{ rowCount, columns: [{ name, type, count, nullCount, mean, std, quantiles, histogram, topValues, … }] }</c>,
    /// for every column or only <paramref name="columns"/>.
    /// </summary>
    public Task<JsonElement> DescribeAsync(string name, string version = "latest", IEnumerable<string>? columns = null, CancellationToken ct = default)
    {
        var list = columns is null ? null : string.Join(',', columns);
        return _api.GetAsync<JsonElement>(Query.With($"{VersionPath(name, version)}/describe", ("columns", list)), ct);
    }

    /// <summary>
    /// The lineage graph around a version: the versions and source it came from and the derived versions, experiments
    /// and model versions that used it, each up to <paramref name="depth"/> steps (1-10).
    /// </summary>
    public Task<LineageGraph> LineageAsync(string name, string version = "latest", int depth = 3, CancellationToken ct = default) =>
        _api.GetAsync<LineageGraph>(Query.With($"{VersionPath(name, version)}/lineage", ("depth", depth)), ct);

    /// <summary>The version's partitions: where each partition grain runs, its rows and what it holds in memory.</summary>
    public Task<IReadOnlyList<DatasetPartition>> PartitionsAsync(string name, string version = "latest", CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<DatasetPartition>>($"{VersionPath(name, version)}/partitions", ct);

    /// <summary>The first <paramref name="rows"/> rows (at most 10,000).</summary>
    public Task<DatasetRows> HeadAsync(string name, string version = "latest", int rows = 10, CancellationToken ct = default) =>
        _api.GetAsync<DatasetRows>(Query.With($"{VersionPath(name, version)}/head", ("rows", rows)), ct);

    /// <summary>A uniform sample of <paramref name="rows"/> rows without replacement; the same for the same seed.</summary>
    public Task<DatasetRows> SampleAsync(string name, string version = "latest", int rows = 10, long seed = 42, CancellationToken ct = default) =>
        _api.GetAsync<DatasetRows>(Query.With($"{VersionPath(name, version)}/sample", ("rows", rows), ("seed", seed)), ct);

    /// <summary>
    /// Scores every row of a version with a model version (or an endpoint's main version) in the
    /// partition grains; the kept columns and the predictions become the next version of
    /// <see cref="ScoreRequest.Into"/> (default <c>{name}-predictions</c>). Returns that dataset's operation.
    /// </summary>
    public Task<DatasetOperation> ScoreAsync(string name, ScoreRequest request, string version = "latest", TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _api.SendAsync<DatasetOperation>(HttpMethod.Post, Query.With($"{VersionPath(name, version)}/predictions", ("wait", Query.WaitSeconds(wait))), RequestBody.Json(request), ct);
    }

    /// <summary>
    /// The whole version as one file (<paramref name="format"/> csv, jsonl or parquet), streamed;
    /// dispose the stream to free the connection. 404 when there is no such version.
    /// </summary>
    public async Task<Stream> ExportAsync(string name, string version = "latest", string format = "csv", CancellationToken ct = default)
    {
        var response = await _api.SendAsync(HttpMethod.Get, Query.With($"{VersionPath(name, version)}/export", ("format", format)), RequestBody.None, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        try
        {
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private Task<DatasetOperation> StartAsync(string name, string kind, RequestBody body, TimeSpan? wait, CancellationToken ct) =>
        _api.SendAsync<DatasetOperation>(HttpMethod.Post, Query.With($"{DatasetPath(name)}/{kind}", ("wait", Query.WaitSeconds(wait))), body, ct);

    private static string DatasetPath(string name) => $"{Root}/{Query.Segment(name)}";

    private static string VersionPath(string name, string version) => $"{DatasetPath(name)}/versions/{Query.Segment(version)}";
}
