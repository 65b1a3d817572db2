using OrleansMl.Ml.Serving;
using OrleansMl.Models;

namespace OrleansMl.Serving;

/// <summary>A model version loaded on this silo, behind its micro-batcher.</summary>
internal sealed class ServedModel : IAsyncDisposable
{
    private readonly IBatchScorer _scorer;
    private readonly MicroBatcher _batcher;
    private readonly string _kind;
    private long _lastUsed;

    public ServedModel(string model, ModelVersionInfo version, IBatchScorer scorer, TimeSpan loadTime, ServingOptions options, long now)
    {
        Model = model;
        Version = version;
        LoadTime = loadTime;
        _scorer = scorer;
        _batcher = new MicroBatcher(scorer, options);
        _kind = scorer.Kind.ToString().ToLowerInvariant();
        _lastUsed = now;
    }

    public string Model { get; }

    public ModelVersionInfo Version { get; }

    public TimeSpan LoadTime { get; }

    /// <summary>When a request last used the model, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long LastUsed => Interlocked.Read(ref _lastUsed);

    public PredictorInfo Describe(string silo) =>
        new(Model, Version.Version, Version.Flavor, _kind, _scorer.Dimension, _scorer.ScoreWidth, LoadTime.TotalMilliseconds, silo);

    public async Task<Prediction> PredictAsync(PredictionInput input, long now)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rows < 1 || input.Features is null || input.Features.Length != (long)input.Rows * _scorer.Dimension)
        {
            throw FieldError.Invalid(
                $"Model '{Model}' version {Version.Version} takes rows of {_scorer.Dimension} numbers; got {input.Features?.Length ?? 0} numbers for {input.Rows} rows.", "features");
        }

        Interlocked.Exchange(ref _lastUsed, now);
        var (labels, scores) = await _batcher.ScoreAsync(input.Features, input.Rows);
        return new Prediction(Model, Version.Version, _kind, _scorer.Kind == ScorerKind.Regression ? [] : labels, scores, _scorer.ScoreWidth);
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
