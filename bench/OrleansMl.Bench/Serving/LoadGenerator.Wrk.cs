using System.Globalization;
using System.Text;

namespace OrleansMl.Bench.Serving;

internal static partial class LoadGenerator
{
    private const string WrkMarker = "ORLEANSML-WRK";

    /// <summary>
    /// The maximum rate: wrk with <paramref name="connections"/> open connections, each sending the next
    /// request as soon as the last answer arrives, for <paramref name="duration"/> (whole seconds).
    /// Latency percentiles are exact (microseconds, from wrk's histogram through its Lua <c>done</c> hook),
    /// and include queueing at saturation.
    /// </summary>
    public static async Task<LoadResult> MaxThroughputAsync(LoadTarget target, int connections, TimeSpan duration, int threads = 2, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync();
        var seconds = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds));
        var scratch = ScratchDirectory();
        try
        {
            var script = Path.Combine(scratch, "post.lua");
            await File.WriteAllTextAsync(script, WrkScript(target), cancellationToken);
            var output = await RunCheckedAsync("wrk",
                [$"-t{Math.Min(threads, connections)}", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, target.Url.ToString()],
                TimeSpan.FromSeconds(seconds + 30), cancellationToken);
            return ParseWrk(output);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// The Lua script wrk runs in each thread: POST the body file's bytes with the headers, and at the
    /// end print one machine-readable line. Every string goes in as a Lua literal with decimal escapes,
    /// so no quote, backslash or non-ASCII character in a path or header can break the script.
    /// </summary>
    private static string WrkScript(LoadTarget target)
    {
        var script = new StringBuilder();
        script.AppendLine("wrk.method = \"POST\"");
        script.AppendLine($"local file = assert(io.open({LuaString(target.BodyPath)}, \"rb\"))");
        script.AppendLine("wrk.body = file:read(\"*a\")");
        script.AppendLine("file:close()");
        script.AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"");
        foreach (var (name, value) in target.Headers)
        {
            script.AppendLine($"wrk.headers[{LuaString(name)}] = {LuaString(value)}");
        }

        // summary.duration is in microseconds; latency:percentile returns microseconds.
        script.AppendLine("done = function(summary, latency, requests)");
        script.AppendLine("  local e = summary.errors");
        script.AppendLine($"  io.write(string.format(\"{WrkMarker} %d %d %d %d %d %d %d %d %d\\n\", summary.duration, summary.requests,");
        script.AppendLine("    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))");
        script.AppendLine("end");
        return script.ToString();
    }

    private static string LuaString(string value)
    {
        var literal = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'/' or (byte)'.' or (byte)'-' or (byte)'_' or (byte)' ')
            {
                literal.Append((char)b);
            }
            else
            {
                literal.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return literal.Append('"').ToString();
    }

    private static LoadResult ParseWrk(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(WrkMarker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no summary line: {output}");
        var n = Array.ConvertAll(line[WrkMarker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries), v => long.Parse(v, CultureInfo.InvariantCulture));
        var (durationUs, requests, connect, read, write, status, timeout) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
        var errors = connect + read + write + status + timeout;
        var summary = errors == 0 ? null
            : $"wrk: {status} responses outside 2xx/3xx; socket errors connect {connect}, read {read}, write {write}, timeout {timeout}";
        return new LoadResult(requests / (durationUs / 1e6), n[7] / 1000.0, n[8] / 1000.0, requests, errors, summary);
    }
}
