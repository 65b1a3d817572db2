namespace OrleansMl.Bench.Reporting;

/// <summary>The JSON document of one run (bench/results/latest.json).</summary>
internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Mode,
    string Machine,
    int ProcessorCount,
    string Runtime,
    IReadOnlyList<BenchReportRow> Results);
