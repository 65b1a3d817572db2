using OrleansMl.Bench.Measurement;

namespace OrleansMl.Bench.Reporting;

/// <summary>The results as an aligned text table, with the notes below it.</summary>
internal static class ResultTable
{
    private static readonly string[] Headers = ["Scenario", "Value", "Reference", "Reference is", "Ratio (value/ref)", "Better", "Verdict"];

    public static void Write(TextWriter writer, IReadOnlyList<BenchResult> results)
    {
        var rows = new List<string[]>(results.Count + 1) { Headers };
        foreach (var r in results)
        {
            rows.Add(
            [
                r.Scenario,
                NumberFormat.WithUnit(r.Value, r.Unit),
                NumberFormat.WithUnit(r.Reference, r.Unit),
                r.ReferenceName,
                NumberFormat.Compact(r.Ratio),
                r.HigherIsBetter ? "higher" : "lower",
                r.Verdict,
            ]);
        }

        var widths = new int[Headers.Length];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            writer.WriteLine(FormatRow(rows[i], widths));
            if (i == 0)
            {
                writer.WriteLine(string.Join("-+-", Array.ConvertAll(widths, w => new string('-', w))));
            }
        }

        writer.WriteLine();
        writer.WriteLine("Medians of the measured repetitions; value and reference ran in the same process, in turn. Verdict: how the value compares with its reference, in the column 'Better' direction.");
        foreach (var r in results)
        {
            if (r.Note is not null)
            {
                writer.WriteLine($"  {r.Scenario}: {r.Note}.");
            }
        }
    }

    private static string FormatRow(string[] cells, int[] widths)
    {
        var padded = new string[cells.Length];
        for (var c = 0; c < cells.Length; c++)
        {
            // Text left, numbers right.
            padded[c] = c is 0 or 3 or 5 or 6 ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]);
        }

        return string.Join(" | ", padded).TrimEnd();
    }
}
