namespace OrleansMl.Client;

/// <summary><c>/v1/artifacts</c>: the artifact store. Paths are '/'-separated (e.g. <c>notes/run-1.txt</c>).</summary>
public sealed class ArtifactsClient
{
    private const string Root = "v1/artifacts";

    private readonly ApiConnection _api;

    internal ArtifactsClient(ApiConnection api) => _api = api;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>, replacing what was there. A seekable
    /// stream is sent from its current position and may be re-sent on 503/429; a non-seekable one is sent
    /// once and the call is not retried. The stream is left open.
    /// </summary>
    public Task<ArtifactInfo> UploadAsync(string path, Stream content, CancellationToken ct = default) =>
        _api.SendAsync<ArtifactInfo>(HttpMethod.Put, $"{Root}/{Query.ArtifactPath(path)}", RequestBody.Stream(content), ct);

    /// <summary>The artifact's bytes, streamed; dispose the stream to free the connection. 404 when there is none.</summary>
    public async Task<Stream> DownloadAsync(string path, CancellationToken ct = default)
    {
        var response = await _api.SendAsync(HttpMethod.Get, $"{Root}/{Query.ArtifactPath(path)}", RequestBody.None, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
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

    /// <summary>The artifacts whose paths start with <paramref name="prefix"/>, in ordinal order (the server returns at most 1,000).</summary>
    public Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix = "", CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<ArtifactInfo>>(Query.With(Root, ("prefix", string.IsNullOrEmpty(prefix) ? null : prefix)), ct);

    /// <summary>Deletes a stored file (admins); 404 when there is none. The platform's own folders (datasets, models, runs) are refused.</summary>
    public Task DeleteAsync(string path, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, $"{Root}/{Query.ArtifactPath(path)}", RequestBody.None, ct);
}
