namespace OrleansMl.Bench.Reporting;

/// <summary>One result in <see cref="BenchReport"/>; <see cref="Ratio"/> is value / reference.</summary>
internal sealed record BenchReportRow(
    string Scenario,
    double Value,
    double Reference,
    string Unit,
    string ReferenceName,
    double Ratio,
    string Better,
    string Verdict,
    IReadOnlyList<double> Samples,
    IReadOnlyList<double> ReferenceSamples,
    string? Note);
