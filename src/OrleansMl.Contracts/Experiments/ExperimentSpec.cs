namespace OrleansMl.Experiments;

/// <summary>What an experiment trains and how it searches.</summary>
/// <param name="Eval">Held-out data; when absent, <see cref="TestFraction"/> of the training rows (seeded hash split) are held out.</param>
/// <param name="Task">multiclass, binary or regression.</param>
/// <param name="Trainer">knn, logistic_regression, linear_svm, linear_regression (data-parallel, exact gradients) or mlnet (params.algorithm: any supported ML.NET trainer); see docs/api.md.</param>
/// <param name="Params">Fixed hyperparameters, merged under each run's sampled ones.</param>
/// <param name="Strategy">grid, random, halving (successive halving over params.halving_resource), tpe (a Tree-structured Parzen Estimator) or asha (random samples pruned per epoch by asynchronous successive halving); see docs/api.md.</param>
/// <param name="Metric">accuracy, macro_f1, log_loss, auc, f1, rmse, mae, r2.</param>
/// <param name="TimeBudgetSeconds">No new runs start after this; running ones finish.</param>
/// <param name="Target">Stop starting runs once a run reaches this metric value.</param>
/// <param name="Steps">
/// Feature steps from the raw columns to <see cref="FeatureColumn"/> (the transform step language; no
/// filter). They are fitted on the training rows only, applied unchanged to the evaluation rows and
/// stored with every run's model; the label stays raw and is keyed by the classes of the training rows.
/// </param>
[GenerateSerializer, Immutable, Alias("orleansml.ExperimentSpec")]
public sealed record ExperimentSpec(
    [property: Id(0)] DatasetRef Train,
    [property: Id(1)] string LabelColumn,
    [property: Id(2)] string FeatureColumn,
    [property: Id(3)] string Task,
    [property: Id(4)] string Trainer,
    [property: Id(5)] DatasetRef? Eval = null,
    [property: Id(6)] double TestFraction = 0.2,
    [property: Id(7)] IReadOnlyDictionary<string, ParamRange>? SearchSpace = null,
    [property: Id(8)] IReadOnlyDictionary<string, string>? Params = null,
    [property: Id(9)] string Strategy = "random",
    [property: Id(10)] int MaxRuns = 1,
    [property: Id(11)] int MaxConcurrentRuns = 2,
    [property: Id(12)] long Seed = 42,
    [property: Id(13)] string? Metric = null,
    [property: Id(14)] double? TimeBudgetSeconds = null,
    [property: Id(15)] double? Target = null,
    [property: Id(16)] IReadOnlyList<Datasets.TransformStep>? Steps = null);
