namespace OrleansMl.Experiments;

/// <summary>The metrics each task reports, and which direction is better.</summary>
public static class MetricNames
{
    private static readonly Dictionary<string, (string[] Metrics, string Default)> ByTask = new(StringComparer.Ordinal)
    {
        ["multiclass"] = (["accuracy", "macro_f1", "micro_f1", "log_loss"], "accuracy"),
        ["binary"] = (["accuracy", "f1", "auc", "log_loss"], "auc"),
        ["regression"] = (["rmse", "mae", "r2"], "rmse"),
    };

    public static IReadOnlyCollection<string> Tasks => ByTask.Keys;

    public static bool Maximize(string metric) => metric is not ("log_loss" or "rmse" or "mae");

    /// <summary>The metric to optimise: the spec's, checked against the task, or the task's default.</summary>
    public static string Resolve(string task, string? metric)
    {
        if (!ByTask.TryGetValue(task, out var known))
        {
            throw FieldError.Invalid($"task must be one of {string.Join(", ", ByTask.Keys)}; got '{task}'.", "task");
        }

        return metric is null ? known.Default
            : known.Metrics.Contains(metric) ? metric
            : throw FieldError.Invalid($"metric '{metric}' is not reported for {task}. Metrics: {string.Join(", ", known.Metrics)}.", "metric");
    }
}
