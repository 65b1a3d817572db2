using System.Globalization;
using System.Text.Json;
using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Tests.Sql;

/// <summary>Compares a query's answer with DuckDB's, value for value by position (floats to 9 significant digits), in order or as a multiset.</summary>
internal static class SqlAnswers
{
    public static void AssertSame(JsonElement[] expected, ColumnBatch actual, bool ordered)
    {
        var want = expected.Select(row => row.EnumerateObject().Select(p => Canonical(p.Value)).ToList()).ToList();
        var got = Enumerable.Range(0, actual.RowCount).Select(r => actual.Columns.Select(c => Canonical(c.GetValue(r))).ToList()).ToList();
        Assert.Equal(want.Count == 0 ? 0 : want[0].Count, got.Count == 0 ? actual.Columns.Count : got[0].Count);
        if (!ordered)
        {
            want = [.. want.OrderBy(r => string.Join("|", r), StringComparer.Ordinal)];
            got = [.. got.OrderBy(r => string.Join("|", r), StringComparer.Ordinal)];
        }

        Assert.Equal(want.Count, got.Count);
        for (var r = 0; r < want.Count; r++)
        {
            Assert.True(want[r].SequenceEqual(got[r]), $"row {r}: DuckDB [{string.Join(", ", want[r])}], platform [{string.Join(", ", got[r])}]");
        }
    }

    /// <summary>A value as both sides can agree on: numbers (DuckDB writes big integers as strings) to 9 significant digits.</summary>
    private static string Canonical(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => Number(l),
        double d => Number(d),
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? Number(parsed) : s,
        JsonElement { ValueKind: JsonValueKind.Null } => "null",
        JsonElement { ValueKind: JsonValueKind.True } => "true",
        JsonElement { ValueKind: JsonValueKind.False } => "false",
        JsonElement { ValueKind: JsonValueKind.Number } e => Number(e.GetDouble()),
        JsonElement e => Canonical(e.GetString()),
        _ => value.ToString()!,
    };

    private static string Number(double value) => Math.Abs(value) < 1e-12 ? "0" : value.ToString("G9", CultureInfo.InvariantCulture);
}
