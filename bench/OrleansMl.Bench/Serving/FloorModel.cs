using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// An ML.NET model .zip of the kind MlNetTrainer trains (input: a "Features" float vector and a "Label"),
/// scored one row at a time through PredictionEngines taken from a pool: an engine is not thread-safe
/// and costly to build, so each request thread borrows one (the pattern of Microsoft.Extensions.ML's
/// PredictionEnginePool). Binary or multiclass, chosen by the model's PredictedLabel column.
/// </summary>
internal sealed class FloorModel : IDisposable
{
    private readonly ObjectPool<PredictionEngine<ModelInput, BinaryOutput>>? _binary;
    private readonly ObjectPool<PredictionEngine<ModelInput, MulticlassOutput>>? _multiclass;

    private FloorModel(int dimension, ObjectPool<PredictionEngine<ModelInput, BinaryOutput>>? binary, ObjectPool<PredictionEngine<ModelInput, MulticlassOutput>>? multiclass)
    {
        Dimension = dimension;
        _binary = binary;
        _multiclass = multiclass;
    }

    /// <summary>The length of a row's feature vector.</summary>
    public int Dimension { get; }

    public static FloorModel Load(string path)
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(path, out var inputSchema);
        var dimension = (inputSchema.GetColumnOrNull("Features")?.Type as VectorDataViewType)?.Size
            ?? throw new InvalidOperationException($"{path}: the model's input has no fixed-size 'Features' vector column.");
        var input = SchemaDefinition.Create(typeof(ModelInput));
        input["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var output = model.GetOutputSchema(inputSchema);
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 };
        return output.GetColumnOrNull("PredictedLabel")?.Type switch
        {
            BooleanDataViewType => new FloorModel(dimension, provider.Create(new EnginePolicy<BinaryOutput>(ml, model, input, BinaryOutputSchema(output))), null),
            KeyDataViewType => new FloorModel(dimension, null, provider.Create(new EnginePolicy<MulticlassOutput>(ml, model, input, null))),
            var type => throw new InvalidOperationException($"{path}: expected a binary (Boolean) or multiclass (key) PredictedLabel column, found {type?.ToString() ?? "none"}."),
        };
    }

    public Prediction Predict(float[] features)
    {
        var input = new ModelInput { Features = features };
        if (_binary is not null)
        {
            var engine = _binary.Get();
            try
            {
                var output = engine.Predict(input);
                return new Prediction(output.PredictedLabel ? 1 : 0, [output.Probability]);
            }
            finally
            {
                _binary.Return(engine);
            }
        }

        var multiclassEngine = _multiclass!.Get();
        try
        {
            var output = multiclassEngine.Predict(input);
            return new Prediction(output.PredictedLabel - 1L, output.Score); // keys are 1-based, class i is key i + 1
        }
        finally
        {
            _multiclass.Return(multiclassEngine);
        }
    }

    /// <summary>Disposes the pooled engines.</summary>
    public void Dispose()
    {
        (_binary as IDisposable)?.Dispose();
        (_multiclass as IDisposable)?.Dispose();
    }

    /// <summary>Calibrated binary trainers add a Probability column; an uncalibrated one has only the raw Score.</summary>
    private static SchemaDefinition BinaryOutputSchema(DataViewSchema output)
    {
        var schema = SchemaDefinition.Create(typeof(BinaryOutput));
        if (output.GetColumnOrNull("Probability") is null)
        {
            schema["Probability"].ColumnName = "Score";
        }

        return schema;
    }

    private sealed class EnginePolicy<TOutput>(MLContext ml, ITransformer model, SchemaDefinition input, SchemaDefinition? output)
        : PooledObjectPolicy<PredictionEngine<ModelInput, TOutput>>
        where TOutput : class, new()
    {
        public override PredictionEngine<ModelInput, TOutput> Create() =>
            ml.Model.CreatePredictionEngine<ModelInput, TOutput>(model, inputSchemaDefinition: input, outputSchemaDefinition: output);

        public override bool Return(PredictionEngine<ModelInput, TOutput> engine) => true;
    }

    private sealed class ModelInput
    {
        public float[] Features { get; set; } = [];

        /// <summary>Unused when scoring, but the saved pipeline converts it (ConvertType, MapValueToKey), so the column must exist.</summary>
        public float Label { get; set; }
    }

    private sealed class BinaryOutput
    {
        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }
    }

    private sealed class MulticlassOutput
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
