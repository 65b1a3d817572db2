using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// OpenTelemetry metrics of the meter <c>OrleansMl.Serving</c>, tagged with endpoint, model, version
/// and protocol (and the gateway's own recent view, <see cref="EndpointTraffic"/>): request latency (histogram, ms), requests and rows (counters; their rates are the
/// throughput), and errors (counter, tagged with the HTTP status).
/// </summary>
public sealed class ServingMetrics
{
    public const string MeterName = "OrleansMl.Serving";
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _errors;

    private readonly EndpointTraffic _traffic;

    public ServingMetrics(IMeterFactory meters, EndpointTraffic traffic)
    {
        _traffic = traffic;
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("orleansml.serving.duration", "ms", "Time to answer a prediction request, parsing and writing included.");
        _requests = meter.CreateCounter<long>("orleansml.serving.requests", "{request}", "Prediction requests answered.");
        _rows = meter.CreateCounter<long>("orleansml.serving.rows", "{row}", "Rows predicted.");
        _errors = meter.CreateCounter<long>("orleansml.serving.errors", "{request}", "Prediction requests that failed.");
    }

    public void Succeeded(string endpoint, string model, int version, string protocol, int rows, long startedAt)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "model", model }, { "version", version }, { "protocol", protocol } };
        var milliseconds = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
        _duration.Record(milliseconds, tags);
        _requests.Add(1, tags);
        _rows.Add(rows, tags);
        _traffic.Record(endpoint, model, version, rows, milliseconds, failed: false);
    }

    public void Failed(string endpoint, string protocol, int status, long startedAt)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "protocol", protocol }, { "status", status } };
        var milliseconds = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
        _duration.Record(milliseconds, tags);
        _errors.Add(1, tags);
        _traffic.Record(endpoint, null, null, 0, milliseconds, failed: true);
    }
}
