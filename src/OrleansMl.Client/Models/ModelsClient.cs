using System.Globalization;

namespace OrleansMl.Client;

/// <summary>
/// <c>/v1/models</c>: the registry. Registering and exporting need a scientist key; moving aliases and
/// deleting versions an admin key. Every alias move is recorded with the key's name.
/// </summary>
public sealed class ModelsClient
{
    private const string Root = "v1/models";

    private readonly ApiConnection _api;

    internal ModelsClient(ApiConnection api) => _api = api;

    /// <summary>The names of all models.</summary>
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        _api.GetAsync<IReadOnlyList<string>>(Root, ct);

    /// <summary>A model's versions, aliases and alias history; 404 when there is none.</summary>
    public Task<ModelInfo> GetAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<ModelInfo>(ModelPath(name), ct);

    /// <summary>Registers the next version from a succeeded run or a stored artifact (400 naming <c>source.run</c>, <c>source.artifact</c>, … when it cannot).</summary>
    public Task<ModelVersion> RegisterAsync(string name, ModelSource source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _api.SendAsync<ModelVersion>(HttpMethod.Post, $"{ModelPath(name)}/versions", RequestBody.Json(source), ct);
    }

    /// <summary>Converts an ML.NET version to ONNX and registers it as the next version.</summary>
    public Task<ModelVersion> ExportOnnxAsync(string name, int version, CancellationToken ct = default) =>
        _api.SendAsync<ModelVersion>(HttpMethod.Post, $"{VersionPath(name, version)}/onnx", RequestBody.None, ct);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>.</summary>
    public Task<ModelInfo> SetAliasAsync(string name, string alias, int version, CancellationToken ct = default) =>
        _api.SendAsync<ModelInfo>(HttpMethod.Put, AliasPath(name, alias), RequestBody.Json(new AliasTarget(version)), ct);

    /// <summary>Moves <paramref name="alias"/> back to the version it pointed at before.</summary>
    public Task<ModelInfo> RollBackAliasAsync(string name, string alias, CancellationToken ct = default) =>
        _api.SendAsync<ModelInfo>(HttpMethod.Post, $"{AliasPath(name, alias)}/rollback", RequestBody.None, ct);

    /// <summary>Removes <paramref name="alias"/>.</summary>
    public Task<ModelInfo> RemoveAliasAsync(string name, string alias, CancellationToken ct = default) =>
        _api.SendAsync<ModelInfo>(HttpMethod.Delete, AliasPath(name, alias), RequestBody.None, ct);

    /// <summary>Deletes a version; refused (400) while an alias or an endpoint uses it.</summary>
    public Task<ModelInfo> DeleteVersionAsync(string name, int version, CancellationToken ct = default) =>
        _api.SendAsync<ModelInfo>(HttpMethod.Delete, VersionPath(name, version), RequestBody.None, ct);

    private static string ModelPath(string name) => $"{Root}/{Query.Segment(name)}";

    private static string VersionPath(string name, int version) => $"{ModelPath(name)}/versions/{version.ToString(CultureInfo.InvariantCulture)}";

    private static string AliasPath(string name, string alias) => $"{ModelPath(name)}/aliases/{Query.Segment(alias)}";

    private sealed record AliasTarget(int Version);
}
