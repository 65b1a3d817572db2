using System.Diagnostics;
using System.Text.Json;

namespace OrleansMl.Testing;

/// <summary>
/// DuckDB (the npm package <c>@duckdb/node-api</c>, installed under <c>.tools/duckdb</c> on first use):
/// an independent Parquet reader and writer for interoperability tests.
/// </summary>
public static class DuckDb
{
    public const string Version = "1.5.6-r.1";

    private const string Script = """
        import { DuckDBInstance } from '@duckdb/node-api';
        const db = await DuckDBInstance.create(':memory:');
        const connection = await db.connect();
        const reader = await connection.runAndReadAll(process.argv[2]);
        const rows = reader.getRowObjectsJson();
        process.stdout.write(JSON.stringify(rows));
        """;

    /// <summary>Runs one SQL statement and returns its rows as JSON objects (DuckDB's JSON conversion: big integers and timestamps are strings).</summary>
    public static async Task<JsonElement[]> QueryAsync(string sql, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize<JsonElement[]>(await RunAsync("query.mjs", Script, [sql], $"on `{sql}`", cancellationToken)) ?? [];

    private const string TimingScript = """
        import { DuckDBInstance } from '@duckdb/node-api';
        const [setup, repetitions, ...queries] = process.argv.slice(2);
        const db = await DuckDBInstance.create(':memory:');
        const connection = await db.connect();
        if (setup) { await connection.run(setup); }
        const seconds = [];
        for (const query of queries) {
          const times = [];
          for (let rep = -1; rep < Number(repetitions); rep++) {
            const start = performance.now();
            await connection.runAndReadAll(query);
            if (rep >= 0) { times.push((performance.now() - start) / 1000); }
          }
          seconds.push(times);
        }
        process.stdout.write(JSON.stringify(seconds));
        """;

    /// <summary>
    /// Times queries inside one DuckDB process (so process start-up is not counted): <paramref name="setup"/>
    /// once, then each query once untimed and <paramref name="repetitions"/> times timed; seconds per repetition.
    /// </summary>
    public static async Task<double[][]> TimeAsync(string setup, IReadOnlyList<string> queries, int repetitions, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize<double[][]>(await RunAsync(
            "time.mjs", TimingScript, [setup, repetitions.ToString(System.Globalization.CultureInfo.InvariantCulture), .. queries], "timing queries", cancellationToken)) ?? [];

    /// <summary>Runs a node script (written next to the installed package) with arguments; its stdout, or an error naming <paramref name="what"/> with its stderr.</summary>
    private static async Task<string> RunAsync(string scriptName, string scriptText, IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        var prefix = await NpmTool.EnsureInstalledAsync("duckdb", $"@duckdb/node-api@{Version}", Path.Combine("node_modules", "@duckdb", "node-api", "package.json"), cancellationToken);
        var script = Path.Combine(prefix, scriptName);
        if (!File.Exists(script) || await File.ReadAllTextAsync(script, cancellationToken) != scriptText)
        {
            await File.WriteAllTextAsync(script, scriptText, cancellationToken);
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = prefix };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"DuckDB failed {what}: {await stderr}");
    }

    /// <summary>Single-quotes a path or string for SQL.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
