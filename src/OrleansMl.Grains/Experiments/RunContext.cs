using System.Globalization;
using OrleansMl.Datasets;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Experiments;

/// <summary>What a trainer gets: the request, its datasets, parameters, and the run's metric log, checkpoints and silo record.</summary>
public sealed class RunContext(
    string runId,
    RunRequest request,
    DatasetVersionInfo train,
    DatasetVersionInfo eval,
    IGrainFactory grains,
    IArtifactStore store,
    MetricLog metrics,
    Action<string> workedOn,
    CancellationToken cancellationToken)
{
    public string RunId => runId;

    public RunRequest Request => request;

    public ExperimentSpec Spec => request.Spec;

    public DatasetVersionInfo Train => train;

    public DatasetVersionInfo Eval => eval;

    public IGrainFactory Grains => grains;

    public IArtifactStore Store => store;

    public MetricLog Metrics => metrics;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>The fitted feature steps and classes the run trains through; null when the experiment has no steps.</summary>
    public Pipelines.ModelPipeline? Pipeline => request.Pipeline;

    /// <summary>Evaluation rows whose class the training rows never had (set when the evaluation set is read).</summary>
    public long UnseenEvalRows { get; internal set; }

    /// <summary>Records that a silo did work for this run (a partition's, for example).</summary>
    public void WorkedOn(string silo) => workedOn(silo);

    /// <summary>Where this run's artifacts go: <c>runs/{experiment}/{index}/{name}</c>.</summary>
    public string ArtifactPath(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"runs/{request.Experiment}/{request.Index:D5}/{name}");

    public string String(string name, string fallback) => request.Params.TryGetValue(name, out var value) ? value : fallback;

    public int Int(string name, int fallback) => Parse(name, fallback, s => int.Parse(s, CultureInfo.InvariantCulture));

    public double Double(string name, double fallback) => Parse(name, fallback, s => double.Parse(s, CultureInfo.InvariantCulture));

    public bool Bool(string name, bool fallback) => Parse(name, fallback, bool.Parse);

    private T Parse<T>(string name, T fallback, Func<string, T> parse)
    {
        if (!request.Params.TryGetValue(name, out var text))
        {
            return fallback;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Parameter '{name}' = '{text}' is not a valid {typeof(T).Name.ToLowerInvariant()}.");
        }
    }
}
