namespace OrleansMl.Client;

/// <summary>What an experiment trains and how it searches (see docs/api.md for trainers, params and metrics).</summary>
/// <param name="Train">The training data.</param>
/// <param name="LabelColumn">The column to predict.</param>
/// <param name="FeatureColumn">The feature vector column (made by <paramref name="Steps"/> when given).</param>
/// <param name="Task">multiclass, binary or regression.</param>
/// <param name="Trainer">knn, logistic_regression, linear_svm, linear_regression, tree_ensemble, mlnet or torch.</param>
/// <param name="Eval">Held-out data; when null, <paramref name="TestFraction"/> of the training rows are held out.</param>
/// <param name="SearchSpace">Parameter → range searched by <paramref name="Strategy"/>.</param>
/// <param name="Params">Fixed parameters, merged under each run's sampled ones.</param>
/// <param name="Strategy">grid, random or halving.</param>
/// <param name="Metric">The metric that ranks runs (by default the task's first).</param>
/// <param name="TimeBudgetSeconds">No run starts after this.</param>
/// <param name="Target">No run starts once a run reaches this metric value.</param>
/// <param name="Steps">Feature steps from the raw columns to <paramref name="FeatureColumn"/>, fitted on the training rows only and carried by every run's model (no filter).</param>
public sealed record ExperimentSpec(
    DatasetRef Train,
    string LabelColumn,
    string FeatureColumn,
    string Task,
    string Trainer,
    DatasetRef? Eval = null,
    double TestFraction = 0.2,
    IReadOnlyDictionary<string, ParamRange>? SearchSpace = null,
    IReadOnlyDictionary<string, string>? Params = null,
    string Strategy = "random",
    int MaxRuns = 1,
    int MaxConcurrentRuns = 2,
    long Seed = 42,
    string? Metric = null,
    double? TimeBudgetSeconds = null,
    double? Target = null,
    IReadOnlyList<TransformStep>? Steps = null);
