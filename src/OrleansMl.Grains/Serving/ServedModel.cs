using OrleansMl.Ml.Serving;
using OrleansMl.Data.Columns;
using OrleansMl.Models;
using OrleansMl.Pipelines;

namespace OrleansMl.Serving;

/// <summary>A model version loaded on this silo, behind its micro-batcher.</summary>
internal sealed class ServedModel : IAsyncDisposable
{
    private readonly IBatchScorer _scorer;
    private readonly MicroBatcher _batcher;
    private readonly string _kind;
    private long _lastUsed;

    private readonly RecordPipeline? _records;

    /// <param name="records">The version's fitted steps, when it has them: requests then carry raw columns.</param>
    public ServedModel(string model, ModelVersionInfo version, IBatchScorer scorer, RecordPipeline? records, TimeSpan loadTime, ServingOptions options, long now)
    {
        _records = records;
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
        if (input.Rows < 1)
        {
            throw FieldError.Invalid("Send at least one record.", "records");
        }

        var features = Features(input);
        if (features is null || features.Length != (long)input.Rows * _scorer.Dimension)
        {
            throw FieldError.Invalid(
                $"Model '{Model}' version {Version.Version} takes rows of {_scorer.Dimension} numbers; got {features?.Length ?? 0} numbers for {input.Rows} rows.", "features");
        }

        Interlocked.Exchange(ref _lastUsed, now);
        var (labels, scores) = await _batcher.ScoreAsync(features, input.Rows);
        return new Prediction(Model, Version.Version, _kind, _scorer.Kind == ScorerKind.Regression ? [] : labels, scores, _scorer.ScoreWidth, Version.Pipeline?.Classes);
    }

    /// <summary>
    /// Scores a dataset's rows in one call, outside the micro-batcher (batch scoring in a partition
    /// grain): through the fitted steps when the version has them, else its feature column. Rows
    /// without features are scored as zeros and reported in <c>Missing</c>.
    /// </summary>
    internal async Task<(long[] Labels, float[] Scores, NullMask? Missing)> ScoreRowsAsync(ColumnBatch rows, long now)
    {
        float[] features;
        NullMask? missing;
        if (_records is { } records)
        {
            (features, missing) = records.Features(rows);
        }
        else
        {
            // The cached rows' own array (read only here): no copy of the partition's vectors.
            var column = (VectorColumn)rows[Version.Inputs[0].Name];
            (features, missing) = (column.UnsafeArray, column.Nulls);
        }

        Interlocked.Exchange(ref _lastUsed, now);
        var labels = new long[rows.RowCount];
        var scores = new float[rows.RowCount * _scorer.ScoreWidth];
        await _scorer.ScoreAsync(features, rows.RowCount, labels, scores);
        return (labels, scores, missing);
    }

    public int ScoreWidth => _scorer.ScoreWidth;

    public ScorerKind Kind => _scorer.Kind;

    /// <summary>
    /// The feature vectors: through the fitted steps for raw records; as sent otherwise, or, behind an
    /// endpoint whose other versions take raw records, the one vector column sent.
    /// </summary>
    private float[]? Features(PredictionInput input) => (_records, input.Columns) switch
    {
        ({ } records, not null) => records.Features(input),
        ({ }, null) => throw FieldError.Invalid(
            $"Model '{Model}' version {Version.Version} takes records of raw columns ({string.Join(", ", Version.Inputs.Select(c => c.Name))}), which its fitted steps turn into features.", "records"),
        (null, [{ Vectors: { } vectors }]) => vectors,
        (null, not null) => throw FieldError.Invalid($"Model '{Model}' version {Version.Version} takes one vector column, '{Version.Inputs[0].Name}'.", "records"),
        _ => input.Features,
    };

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
