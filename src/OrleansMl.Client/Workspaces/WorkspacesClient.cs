namespace OrleansMl.Client;

/// <summary><c>/v1/workspaces</c>: named groupings with a description and tags.</summary>
public sealed class WorkspacesClient
{
    private const string Root = "v1/workspaces";

    private readonly ApiConnection _api;

    internal WorkspacesClient(ApiConnection api) => _api = api;

    /// <summary>The workspace; <see cref="OrleansMlApiException"/> with 404 when there is none.</summary>
    public Task<WorkspaceInfo> GetAsync(string name, CancellationToken ct = default) =>
        _api.GetAsync<WorkspaceInfo>($"{Root}/{Query.Segment(name)}", ct);

    /// <summary>Creates the workspace, or replaces its description and tags (null: none); each update adds one to its revision. Scientists.</summary>
    public Task<WorkspaceInfo> SetAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags = null, CancellationToken ct = default) =>
        _api.SendAsync<WorkspaceInfo>(HttpMethod.Put, $"{Root}/{Query.Segment(name)}", RequestBody.Json(new { description, tags }), ct);

    /// <summary>Deletes the workspace (admins); 404 when there is none.</summary>
    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        _api.SendAsync(HttpMethod.Delete, $"{Root}/{Query.Segment(name)}", RequestBody.None, ct);
}

/// <summary>A workspace as stored.</summary>
/// <param name="Revision">Starts at 1 and grows by one with every update.</param>
public sealed record WorkspaceInfo(string Name, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Revision);
