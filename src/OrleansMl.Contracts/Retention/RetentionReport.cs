namespace OrleansMl.Retention;

/// <summary>What one retention sweep deleted.</summary>
/// <param name="PredictionLogFiles">Prediction log segments older than the prediction log retention.</param>
/// <param name="AuditFiles">Audit entries older than the audit retention.</param>
/// <param name="MetricHistoryFiles">Metric history files of runs that finished before the metric history retention.</param>
/// <param name="OrphanedVersions">Dataset version folders no dataset lists, left by an operation whose dataset grain died.</param>
[GenerateSerializer, Immutable, Alias("orleansml.RetentionReport")]
public sealed record RetentionReport(
    [property: Id(0)] int PredictionLogFiles,
    [property: Id(1)] int AuditFiles,
    [property: Id(2)] int MetricHistoryFiles,
    [property: Id(3)] int OrphanedVersions = 0,
    [property: Id(4)] int SqlResultFiles = 0);
