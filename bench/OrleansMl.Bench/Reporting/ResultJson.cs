using System.Runtime.InteropServices;
using System.Text.Json;
using OrleansMl.Bench.Measurement;

namespace OrleansMl.Bench.Reporting;

/// <summary>Writes the results as a <see cref="BenchReport"/>.</summary>
internal static class ResultJson
{
    public static async Task WriteAsync(string path, BenchSettings settings, DateTimeOffset startedAt, IReadOnlyList<BenchResult> results)
    {
        var rows = new List<BenchReportRow>(results.Count);
        foreach (var r in results)
        {
            rows.Add(new BenchReportRow(
                r.Scenario, r.Value, r.Reference, r.Unit, r.ReferenceName, r.Ratio,
                r.HigherIsBetter ? "higher" : "lower", r.Verdict, r.Samples, r.ReferenceSamples, r.Note));
        }

        var report = new BenchReport(startedAt, settings.Name, RuntimeInformation.OSDescription, Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, rows);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, BenchJsonContext.Default.BenchReport);
    }
}
