using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMl.Telemetry;

/// <summary>
/// The meter <c>OrleansMl</c> of every silo: dataset operations (rows written and time, by kind: their rate is the import
/// throughput) and training runs (finished runs, their time and training rows, by trainer and status); the partition
/// cache's gauges are <see cref="Datasets.PartitionCacheBudget"/>'s, on the same meter. Exported with the others over OTLP and at <c>/metrics</c>.
/// Tags are bounded sets (kinds, trainers, statuses), never names of datasets or experiments.
/// </summary>
public sealed class PlatformMetrics
{
    public const string MeterName = "OrleansMl";

    private readonly Counter<long> _datasetRows;
    private readonly Histogram<double> _datasetSeconds;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runSeconds;
    private readonly Counter<long> _trainingRows;
    public PlatformMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _datasetRows = meter.CreateCounter<long>("orleansml.dataset.rows", "{row}", "Rows written by finished dataset operations, by kind (import, transform, split, score).");
        _datasetSeconds = meter.CreateHistogram<double>("orleansml.dataset.operation.duration", "s", "Wall time of finished dataset operations, by kind and status.");
        _runs = meter.CreateCounter<long>("orleansml.training.runs", "{run}", "Finished training runs, by trainer and status.");
        _runSeconds = meter.CreateHistogram<double>("orleansml.training.duration", "s", "Wall time of finished training runs, by trainer and status.");
        _trainingRows = meter.CreateCounter<long>("orleansml.training.rows", "{row}", "Training rows of succeeded runs, by trainer (its rate over the runs' time is the training throughput).");
    }

    public void DatasetOperationFinished(string kind, string status, long rows, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "status", status } };
        _datasetSeconds.Record(elapsed.TotalSeconds, tags);
        if (rows > 0)
        {
            _datasetRows.Add(rows, new TagList { { "kind", kind } });
        }
    }

    public void RunFinished(string trainer, string status, TimeSpan elapsed, long trainingRows)
    {
        var tags = new TagList { { "trainer", trainer }, { "status", status } };
        _runs.Add(1, tags);
        _runSeconds.Record(elapsed.TotalSeconds, tags);
        if (trainingRows > 0)
        {
            _trainingRows.Add(trainingRows, new TagList { { "trainer", trainer } });
        }
    }
}
