using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>
/// <c>/v1/endpoints</c> and the Open Inference Protocol v2: admins set and delete endpoints; readers
/// read them and predict. A key limited to some endpoints sees and uses only those (403 otherwise).
/// </summary>
public sealed class EndpointsClient
{
    private const string Root = "v1/endpoints";

    private readonly ApiConnection _api;

    internal EndpointsClient(ApiConnection api) => _api = api;

    /// <summary>The names of the endpoints this key may use.</summary>
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<string>>(Root, ct);

    /// <summary>The endpoint as it serves now; 404 when there is none.</summary>
    public Task<EndpointInfo> GetAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<EndpointInfo>(EndpointPath(name), ct);

    /// <summary>Every revision, oldest first, the deletion included.</summary>
    public Task<IReadOnlyList<EndpointChange>> GetHistoryAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<EndpointChange>>($"{EndpointPath(name)}/history", ct);

    /// <summary>The endpoint's last five minutes of requests on the gateway that answers: requests, errors, rows and latency per version.</summary>
    public Task<EndpointTraffic> GetTrafficAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<EndpointTraffic>($"{EndpointPath(name)}/traffic", ct);

    /// <summary>Creates the endpoint or replaces its targets, shadow and sample rate at once; every target is loaded first (400 on a target that does not).</summary>
    public Task<EndpointInfo> SetAsync(string name, EndpointSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _api.SendAsync<EndpointInfo>(HttpMethod.Put, EndpointPath(name), RequestBody.Json(spec), ct);
    }

    /// <summary>
    /// What <see cref="SetAsync"/> would make of <paramref name="spec"/> (the next revision, aliases resolved to versions),
    /// checked the same way (400 naming the field) but not applied.
    /// </summary>
    public Task<EndpointInfo> PreviewAsync(string name, EndpointSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _api.SendAsync<EndpointInfo>(HttpMethod.Put, $"{EndpointPath(name)}?dryRun=true", RequestBody.Json(spec), ct);
    }

    /// <summary>Deletes the endpoint and releases its versions.</summary>
    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, EndpointPath(name), RequestBody.None, ct);

    /// <summary>
    /// Scores <paramref name="rows"/>: sends <c>{"records":[{input: row}, …]}</c> to
    /// <c>POST /v1/endpoints/{name}/predict</c>, where <paramref name="input"/> is the endpoint's input
    /// (its <see cref="EndpointInfo.Inputs"/>). A row of the wrong length is a 400 naming <c>records[i].{input}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite, which JSON cannot carry.</exception>
    public Task<PredictionResult> PredictAsync(string name, string input, IReadOnlyList<float[]> rows, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentNullException.ThrowIfNull(rows);
        return _api.SendAsync<PredictionResult>(HttpMethod.Post, $"{EndpointPath(name)}/predict", RequestBody.Utf8Json(Records(input, rows)), ct);
    }

    /// <summary>
    /// Scores raw records at an endpoint whose versions carry fitted steps: each record maps every
    /// input column (<see cref="EndpointInfo.Inputs"/>) to its value — a number, text, true/false, or a
    /// list of numbers for a vector. The answer's labels are class values (<see cref="RowPrediction.LabelText"/>).
    /// </summary>
    public Task<PredictionResult> PredictRecordsAsync(string name, IReadOnlyList<IReadOnlyDictionary<string, object?>> records, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return _api.SendAsync<PredictionResult>(HttpMethod.Post, $"{EndpointPath(name)}/predict", RequestBody.Json(new { records }), ct);
    }

    /// <summary>
    /// Scores one image (PNG, JPEG, BMP or GIF) at an endpoint whose versions read an image import's pixels
    /// (<see cref="EndpointInfo.Image"/>): the server decodes and resizes it as the import did. A file that does not decode
    /// is a 400 that says why.
    /// </summary>
    /// <param name="contentType"><c>image/png</c>, <c>image/jpeg</c>, <c>image/bmp</c> or <c>image/gif</c>.</param>
    public Task<PredictionResult> PredictImageAsync(string name, Stream image, string contentType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"An image's content type is image/png, image/jpeg, image/bmp or image/gif; got '{contentType}'.", nameof(contentType));
        }

        return _api.SendAsync<PredictionResult>(HttpMethod.Post, $"{EndpointPath(name)}/predict", RequestBody.Stream(image, contentType), ct);
    }

    /// <summary>
    /// Open Inference Protocol v2 inference (<c>POST /v2/models/{name}[/versions/{version}]/infer</c>):
    /// without <paramref name="version"/> the endpoint's weights choose the version; with it, that version answers.
    /// </summary>
    public Task<InferenceResponse> InferAsync(string name, InferenceRequest request, int? version = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = version is { } v
            ? $"v2/models/{Query.Segment(name)}/versions/{v.ToString(CultureInfo.InvariantCulture)}/infer"
            : $"v2/models/{Query.Segment(name)}/infer";
        return _api.SendAsync<InferenceResponse>(HttpMethod.Post, path, RequestBody.Json(request), ct);
    }

    private static byte[] Records(string input, IReadOnlyList<float[]> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("records"u8);
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r] ?? throw new ArgumentException($"Row {r} is null.", nameof(rows));
                json.WriteStartObject();
                json.WriteStartArray(input);
                for (var i = 0; i < row.Length; i++)
                {
                    if (!float.IsFinite(row[i]))
                    {
                        throw new ArgumentException($"rows[{r}][{i}] is {row[i]}; JSON carries only finite numbers.", nameof(rows));
                    }

                    json.WriteNumberValue(row[i]);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string EndpointPath(string name) => $"{Root}/{Query.Segment(name)}";
}
