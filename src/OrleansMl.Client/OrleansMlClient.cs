namespace OrleansMl.Client;

/// <summary>
/// A typed client for the whole OrleansMl gateway API. Every call is async and cancellable, is retried
/// on 503 and 429 as <see cref="OrleansMlClientOptions"/> says, and throws <see cref="OrleansMlApiException"/>
/// (with the RFC 9457 problem) for any answer that is not a success. Safe to share between threads.
/// </summary>
public sealed class OrleansMlClient : IDisposable
{
    private readonly ApiConnection _api;

    /// <summary>A client with an HttpClient of its own, disposed with it.</summary>
    /// <param name="options">Read once, here; the defaults when null.</param>
    public OrleansMlClient(OrleansMlClientOptions? options = null)
        : this(new ApiConnection(null, options ?? new OrleansMlClientOptions(), TimeProvider.System))
    {
    }

    /// <summary>
    /// A client that sends through <paramref name="http"/> (not disposed with it), to its
    /// <see cref="HttpClient.BaseAddress"/>, or to <see cref="OrleansMlClientOptions.BaseAddress"/> when it has none.
    /// The API key goes on each request, so <paramref name="http"/> is not changed.
    /// </summary>
    public OrleansMlClient(HttpClient http, OrleansMlClientOptions? options = null)
        : this(new ApiConnection(http ?? throw new ArgumentNullException(nameof(http)), options ?? new OrleansMlClientOptions(), TimeProvider.System))
    {
    }

    private OrleansMlClient(ApiConnection api)
    {
        _api = api;
        Datasets = new DatasetsClient(api);
        Experiments = new ExperimentsClient(api);
        Runs = new RunsClient(api);
        Models = new ModelsClient(api);
        Endpoints = new EndpointsClient(api);
        Artifacts = new ArtifactsClient(api);
        Backups = new BackupsClient(api);
        Sql = new SqlClient(api);
        Workspaces = new WorkspacesClient(api);
        Audit = new AuditClient(api);
    }

    /// <summary><c>/v1/datasets</c>: import, upload, transform, split, describe and preview.</summary>
    public DatasetsClient Datasets { get; }

    /// <summary><c>/v1/experiments</c>: start, follow, list and compare runs, cancel.</summary>
    public ExperimentsClient Experiments { get; }

    /// <summary><c>/v1/runs</c>: one run, its metric history, cancel.</summary>
    public RunsClient Runs { get; }

    /// <summary><c>/v1/models</c>: the registry, versions and aliases.</summary>
    public ModelsClient Models { get; }

    /// <summary><c>/v1/endpoints</c> and the Open Inference Protocol: serve and predict.</summary>
    public EndpointsClient Endpoints { get; }

    /// <summary><c>/v1/artifacts</c>: the artifact store.</summary>
    public ArtifactsClient Artifacts { get; }

    /// <summary>Backups and restores of the whole platform (admin keys).</summary>
    public BackupsClient Backups { get; }

    /// <summary>SQL queries over datasets.</summary>
    public SqlClient Sql { get; }

    /// <summary><c>/v1/workspaces</c>: named groupings with a description and tags.</summary>
    public WorkspacesClient Workspaces { get; }

    /// <summary><c>/v1/audit</c>: the audit log (admin keys).</summary>
    public AuditClient Audit { get; }

    /// <summary>The active silos (<c>GET /v1/cluster</c>).</summary>
    public Task<ClusterInfo> GetClusterAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync<ClusterInfo>("v1/cluster", cancellationToken);

    /// <summary>
    /// Whether the gateway is ready (<c>GET /health/ready</c>: a grain call and the artifact store answer).
    /// False on 503, on any other failure status, and when the gateway cannot be reached or does not answer in time; never retried.
    /// </summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _api.TrySendOnceAsync(HttpMethod.Get, "health/ready", cancellationToken).ConfigureAwait(false);
        return response is { IsSuccessStatusCode: true };
    }

    /// <summary>Disposes the HttpClient when the client made it.</summary>
    public void Dispose() => _api.Dispose();
}
