using System.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>Drives an <see cref="IPingCall"/>: many concurrent callers for throughput, one caller for latency.</summary>
internal static class CallLoad
{
    private const int CallsPerBatch = 64;
    private const int BatchesBetweenYields = 16;

    /// <summary>Calls per second with <paramref name="callers"/> concurrent callers, each calling in a loop for <paramref name="duration"/>.</summary>
    public static async Task<double> ThroughputAsync(IPingCall call, int callers, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<long>[callers];
        for (var i = 0; i < callers; i++)
        {
            workers[i] = Task.Run(() => CallUntilAsync(call, deadline));
        }

        var total = 0L;
        foreach (var worker in workers)
        {
            total += await worker;
        }

        return total / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Makes <paramref name="durations"/>.Length sequential calls, stores each call's duration in
    /// Stopwatch ticks, and sorts them.
    /// </summary>
    public static async Task LatencyAsync(IPingCall call, long[] durations)
    {
        for (var i = 0; i < durations.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var reply = await call.PingAsync(i);
            durations[i] = Stopwatch.GetTimestamp() - started;
            Check(reply.Value, i);
        }

        Array.Sort(durations);
    }

    public static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static async Task<long> CallUntilAsync(IPingCall call, long deadline)
    {
        var calls = 0L;
        var batches = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            for (var i = 0; i < CallsPerBatch; i++)
            {
                var reply = await call.PingAsync(calls);
                Check(reply.Value, calls);
                calls++;
            }

            // Calls that complete synchronously would otherwise hold a thread until the deadline,
            // and the callers would take turns instead of running concurrently.
            if (++batches % BatchesBetweenYields == 0)
            {
                await Task.Yield();
            }
        }

        return calls;
    }

    private static void Check(long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Ping returned {actual} for {expected}.");
        }
    }
}
