using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansMl.Bench.Serving;

internal static partial class LoadGenerator
{
    /// <summary>
    /// A fixed rate: hey with <paramref name="workers"/> workers, each paced to <paramref name="requestsPerSecond"/>/workers
    /// (hey's -q is per worker) for <paramref name="duration"/>. A worker waits for its answer before its next tick, so a slow
    /// server lowers the achieved rate: compare <see cref="LoadResult.RequestsPerSecond"/> with the rate asked for.
    /// hey reports latency to 0.1 ms.
    /// </summary>
    public static async Task<LoadResult> FixedRateAsync(LoadTarget target, double requestsPerSecond, int workers, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var perWorker = requestsPerSecond / workers;

        // hey paces a worker with a ticker of (1e6 / rate) whole microseconds: at 0 (above 1e6/s) it waits forever.
        if (perWorker is not (> 0 and <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, $"hey needs 0 < rate per worker <= 100,000/s; {workers} workers asked for {perWorker:F0}/s each.");
        }

        await EnsureInstalledAsync();
        var seconds = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds));
        List<string> arguments =
        [
            "-z", $"{seconds}s", "-c", $"{workers}", "-q", perWorker.ToString("0.###", CultureInfo.InvariantCulture),
            "-m", "POST", "-T", "application/json", "-D", target.BodyPath,
        ];
        foreach (var (name, value) in target.Headers)
        {
            arguments.AddRange(["-H", $"{name}: {value}"]);
        }

        arguments.Add(target.Url.ToString());
        var output = await RunCheckedAsync("hey", arguments, TimeSpan.FromSeconds(seconds + 60), cancellationToken);
        return ParseHey(output);
    }

    private static LoadResult ParseHey(string output)
    {
        var rate = Match(HeyRate(), output)
            ?? throw new InvalidOperationException($"hey printed no Requests/sec: {output}");
        var percentiles = HeyPercentile().Matches(output).ToDictionary(m => m.Groups[1].Value, m => Math.Round(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 1000, 3));
        long ok = 0, failed = 0;
        var failures = new List<string>();
        foreach (Match m in HeyStatus().Matches(output))
        {
            var (code, count) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (code is >= 200 and < 400)
            {
                ok += count;
            }
            else
            {
                failed += count;
                failures.Add($"{count} x HTTP {code}");
            }
        }

        var errorSection = output.IndexOf("Error distribution:", StringComparison.Ordinal);
        if (errorSection >= 0)
        {
            foreach (Match m in HeyError().Matches(output[errorSection..]))
            {
                failed += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                failures.Add($"{m.Groups[1].Value} x {m.Groups[2].Value.Trim()}");
            }
        }

        // With no successful request hey prints no latency distribution.
        return new LoadResult(rate, percentiles.GetValueOrDefault("50", double.NaN), percentiles.GetValueOrDefault("99", double.NaN), ok + failed, failed,
            failures.Count == 0 ? null : "hey: " + string.Join("; ", failures));
    }

    private static double? Match(Regex regex, string text) =>
        regex.Match(text) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex HeyRate();

    [GeneratedRegex(@"^\s+([0-9]+)% in ([0-9.]+) secs", RegexOptions.Multiline)]
    private static partial Regex HeyPercentile();

    [GeneratedRegex(@"^\s+\[([0-9]+)\]\s+([0-9]+) responses", RegexOptions.Multiline)]
    private static partial Regex HeyStatus();

    [GeneratedRegex(@"^\s+\[([0-9]+)\]\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeyError();
}
