using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace OrleansMl.Ml.Serving;

/// <summary>
/// Scores with an ML.NET model whose input is one float vector column (and, optionally, the Label
/// column it was trained with). Rows go through PredictionEngines kept in an ObjectPool: a call takes
/// one engine and scores its rows one after another into reused input and output objects, so a
/// prediction allocates nothing. What the model predicts is read from its output schema: a key
/// PredictedLabel is multiclass (key i+1 is class i), a boolean one binary, none regression.
/// </summary>
public sealed class MlNetScorer : IScorer
{
    private const string LabelColumn = "Label";
    private readonly ObjectPool<RowScorer> _engines;

    private MlNetScorer(MLContext ml, ITransformer model, DataViewSchema input)
    {
        var features = FeatureColumn(input);
        InputName = features.Name;
        Dimension = ((VectorDataViewType)features.Type).Size;
        var output = model.GetOutputSchema(input);
        var predicted = output.GetColumnOrNull("PredictedLabel")?.Type;
        Kind = predicted switch
        {
            KeyDataViewType => ScorerKind.Multiclass,
            BooleanDataViewType => ScorerKind.Binary,
            null => ScorerKind.Regression,
            var type => throw new NotSupportedException($"The model's PredictedLabel is {type}; served models predict a key (multiclass), a boolean (binary) or nothing (regression)."),
        };
        ScoreWidth = Kind == ScorerKind.Multiclass ? ((VectorDataViewType)output["Score"].Type).Size : 1;
        var probability = output.GetColumnOrNull("Probability") is not null;
        var schema = SchemaDefinition.Create(typeof(RowInput));
        schema[nameof(RowInput.Features)].ColumnName = features.Name;
        schema[nameof(RowInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        _engines = new DefaultObjectPoolProvider().Create(new EnginePolicy(() => Kind switch
        {
            ScorerKind.Multiclass => new MulticlassRows(ml.Model.CreatePredictionEngine<RowInput, MulticlassOutput>(model, inputSchemaDefinition: schema), Dimension),
            ScorerKind.Binary when probability => new BinaryRows<BinaryOutput>(ml.Model.CreatePredictionEngine<RowInput, BinaryOutput>(model, inputSchemaDefinition: schema), Dimension),
            ScorerKind.Binary => new BinaryRows<MarginOutput>(ml.Model.CreatePredictionEngine<RowInput, MarginOutput>(model, inputSchemaDefinition: schema), Dimension),
            _ => new RegressionRows(ml.Model.CreatePredictionEngine<RowInput, RegressionOutput>(model, inputSchemaDefinition: schema), Dimension),
        }));

        // Build one engine now, so a model that cannot score fails here rather than on its first request.
        _engines.Return(_engines.Get());
    }

    public string InputName { get; }

    public int Dimension { get; }

    public ScorerKind Kind { get; }

    public int ScoreWidth { get; }

    /// <summary>Loads an ML.NET model .zip: a maximum-entropy model scores from its weights (<see cref="MaximumEntropyScorer"/>), any other through PredictionEngines.</summary>
    /// <exception cref="NotSupportedException">The model's input is not one float vector column, or its output is not a classifier's or regressor's.</exception>
    public static IScorer Load(Stream zip, MLContext? ml = null)
    {
        ml ??= new MLContext(seed: 0);
        var model = ml.Model.Load(zip, out var input);
        return MaximumEntropyScorer.TryCreate(model, input, FeatureColumn(input)) as IScorer ?? new MlNetScorer(ml, model, input);
    }

    public void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        var rows = features.Length / Dimension;
        var engine = _engines.Get();
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var label = engine.Score(features.Slice(r * Dimension, Dimension), scores.Slice(r * ScoreWidth, ScoreWidth));
                if (Kind != ScorerKind.Regression)
                {
                    labels[r] = label;
                }
            }
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Disposes the pooled engines (the provider's pool of disposable objects does that).</summary>
    public void Dispose() => (_engines as IDisposable)?.Dispose();

    private static DataViewSchema.Column FeatureColumn(DataViewSchema input)
    {
        var vectors = input.Where(c => c.Name != LabelColumn && !c.IsHidden).ToList();
        if (vectors is [{ Type: VectorDataViewType { ItemType: var item, IsKnownSize: true } } single] && item == NumberDataViewType.Single)
        {
            return single;
        }

        throw new NotSupportedException(
            $"Served ML.NET models take one float vector column of known size (and optionally '{LabelColumn}'); this one takes {string.Join(", ", vectors.Select(c => $"'{c.Name}' ({c.Type})"))}.");
    }

    private sealed class EnginePolicy(Func<RowScorer> create) : PooledObjectPolicy<RowScorer>
    {
        public override RowScorer Create() => create();

        public override bool Return(RowScorer obj) => true;
    }

    /// <summary>One PredictionEngine with its reused input and output objects.</summary>
    private abstract class RowScorer(int dimension) : IDisposable
    {
        protected RowInput Input { get; } = new() { Features = new float[dimension] };

        /// <summary>Scores one row; returns its class (0 for regression).</summary>
        public long Score(ReadOnlySpan<float> row, Span<float> scores)
        {
            row.CopyTo(Input.Features);
            return Predict(scores);
        }

        public abstract void Dispose();

        protected abstract long Predict(Span<float> scores);
    }

    private sealed class MulticlassRows(PredictionEngine<RowInput, MulticlassOutput> engine, int dimension) : RowScorer(dimension)
    {
        private MulticlassOutput _output = new();

        protected override long Predict(Span<float> scores)
        {
            engine.Predict(Input, ref _output);
            _output.Score.AsSpan(0, scores.Length).CopyTo(scores);
            return _output.PredictedLabel - 1L;
        }

        public override void Dispose() => engine.Dispose();
    }

    private sealed class BinaryRows<TOutput>(PredictionEngine<RowInput, TOutput> engine, int dimension) : RowScorer(dimension)
        where TOutput : class, IBinaryOutput, new()
    {
        private TOutput _output = new();

        protected override long Predict(Span<float> scores)
        {
            engine.Predict(Input, ref _output);
            scores[0] = _output.Value;
            return _output.PredictedLabel ? 1 : 0;
        }

        public override void Dispose() => engine.Dispose();
    }

    private sealed class RegressionRows(PredictionEngine<RowInput, RegressionOutput> engine, int dimension) : RowScorer(dimension)
    {
        private RegressionOutput _output = new();

        protected override long Predict(Span<float> scores)
        {
            engine.Predict(Input, ref _output);
            scores[0] = _output.Score;
            return 0;
        }

        public override void Dispose() => engine.Dispose();
    }

    private sealed class RowInput
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private interface IBinaryOutput
    {
        bool PredictedLabel { get; }

        float Value { get; }
    }

    private sealed class MulticlassOutput
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    private sealed class BinaryOutput : IBinaryOutput
    {
        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }

        public float Value => Probability;
    }

    private sealed class MarginOutput : IBinaryOutput
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Value => Score;
    }

    private sealed class RegressionOutput
    {
        public float Score { get; set; }
    }
}
