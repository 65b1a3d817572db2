namespace OrleansMl.Client;

/// <summary>The trainers an experiment names in <see cref="ExperimentSpec.Trainer"/>.</summary>
public static class Trainers
{
    /// <summary>The exact distributed k-nearest-neighbours classifier (multiclass, binary).</summary>
    public const string Knn = "knn";

    /// <summary>Data-parallel logistic regression, L-BFGS with exact gradients summed over the partitions (multiclass, binary).</summary>
    public const string LogisticRegression = "logistic_regression";

    /// <summary>Data-parallel linear support vector machine (binary).</summary>
    public const string LinearSvm = "linear_svm";

    /// <summary>Data-parallel least-squares linear regression (regression).</summary>
    public const string LinearRegression = "linear_regression";

    /// <summary>One tree model per partition, averaged (every task).</summary>
    public const string TreeEnsemble = "tree_ensemble";

    /// <summary>Any supported ML.NET trainer on the gathered rows, chosen by the <c>algorithm</c> parameter (see <see cref="MlNetAlgorithms"/>).</summary>
    public const string MlNet = "mlnet";

    /// <summary>A neural network on LibTorch: an MLP, a LeNet-sized CNN or a ResNet-8 (<c>network</c>), every task.</summary>
    public const string Torch = "torch";

    /// <summary>Every trainer, in order of name.</summary>
    public static IReadOnlyList<string> All { get; } = [Knn, LinearRegression, LinearSvm, LogisticRegression, MlNet, Torch, TreeEnsemble];
}

/// <summary>The <c>algorithm</c> parameter of the <see cref="Trainers.MlNet"/> trainer.</summary>
public static class MlNetAlgorithms
{
    /// <summary>L-BFGS maximum entropy (multiclass).</summary>
    public const string LbfgsMaxEnt = "lbfgs_maxent";

    /// <summary>SDCA maximum entropy (multiclass).</summary>
    public const string SdcaMaxEnt = "sdca_maxent";

    /// <summary>LightGBM gradient-boosted trees (multiclass, binary, regression).</summary>
    public const string LightGbm = "lightgbm";

    /// <summary>FastTree one-versus-all (multiclass).</summary>
    public const string FastTreeOva = "fasttree_ova";

    /// <summary>Naive Bayes (multiclass).</summary>
    public const string NaiveBayes = "naive_bayes";

    /// <summary>L-BFGS logistic regression (binary).</summary>
    public const string LbfgsLogistic = "lbfgs_logistic";

    /// <summary>SDCA logistic regression (binary).</summary>
    public const string SdcaLogistic = "sdca_logistic";

    /// <summary>FastTree boosted trees (binary, regression).</summary>
    public const string FastTree = "fasttree";

    /// <summary>SDCA least squares (regression).</summary>
    public const string Sdca = "sdca";

    /// <summary>L-BFGS Poisson regression (regression).</summary>
    public const string LbfgsPoisson = "lbfgs_poisson";
}

/// <summary>What an experiment learns (<see cref="ExperimentSpec.Task"/>).</summary>
public static class MlTasks
{
    /// <summary>One of several classes.</summary>
    public const string Multiclass = "multiclass";

    /// <summary>One of two classes.</summary>
    public const string Binary = "binary";

    /// <summary>A number.</summary>
    public const string Regression = "regression";
}

/// <summary>How an experiment searches its space (<see cref="ExperimentSpec.Strategy"/>).</summary>
public static class SearchStrategies
{
    /// <summary>Every combination, up to <see cref="ExperimentSpec.MaxRuns"/>.</summary>
    public const string Grid = "grid";

    /// <summary>Seeded random samples.</summary>
    public const string Random = "random";

    /// <summary>Successive halving: rounds that keep the better half with more budget.</summary>
    public const string Halving = "halving";

    /// <summary>Model-based search: random start-up runs, then each run proposed from the finished ones (a Tree-structured Parzen Estimator).</summary>
    public const string Tpe = "tpe";

    /// <summary>Asynchronous successive halving: random samples, each run stopped at a rung (params.stop_grace·η^k epochs) unless in the top 1/η there; trainers that report epochs (torch).</summary>
    public const string Asha = "asha";
}

/// <summary>The metrics runs report, by task; <see cref="ExperimentSpec.Metric"/> names one to rank by.</summary>
public static class Metrics
{
    /// <summary>Share of rows classified right (classification).</summary>
    public const string Accuracy = "accuracy";

    /// <summary>F1 averaged over classes, each class counting the same (multiclass).</summary>
    public const string MacroF1 = "macro_f1";

    /// <summary>F1 over all rows (multiclass).</summary>
    public const string MicroF1 = "micro_f1";

    /// <summary>F1 of the positive class (binary).</summary>
    public const string F1 = "f1";

    /// <summary>Area under the ROC curve (binary).</summary>
    public const string Auc = "auc";

    /// <summary>Cross-entropy of the predicted probabilities; lower is better (classification).</summary>
    public const string LogLoss = "log_loss";

    /// <summary>Root mean squared error; lower is better (regression).</summary>
    public const string Rmse = "rmse";

    /// <summary>Mean absolute error; lower is better (regression).</summary>
    public const string Mae = "mae";

    /// <summary>Coefficient of determination (regression).</summary>
    public const string R2 = "r2";
}
