using OrleansMl.Bench.Measurement;
using OrleansMl.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>The time of one grain call on the embedded silo, made one after another, against the same call on a plain object.</summary>
internal static class GrainLatencyScenario
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        Console.WriteLine($"grain call latency: {settings.Repetitions} x {settings.LatencyCalls:N0} sequential calls");
        IPingCall grain = new GrainPingCall(grains.GetGrain<IPingGrain>(0));
        IPingCall local = new LocalPing();
        var durations = new long[settings.LatencyCalls];
        await CallLoad.LatencyAsync(grain, durations);
        await CallLoad.LatencyAsync(local, durations);

        var (p50, p99) = (new double[settings.Repetitions], new double[settings.Repetitions]);
        var (referenceP50, referenceP99) = (new double[settings.Repetitions], new double[settings.Repetitions]);
        for (var i = 0; i < settings.Repetitions; i++)
        {
            await CallLoad.LatencyAsync(grain, durations);
            (p50[i], p99[i]) = Percentiles(durations);
            await CallLoad.LatencyAsync(local, durations);
            (referenceP50[i], referenceP99[i]) = Percentiles(durations);
        }

        const string Note = "each call timed with Stopwatch; the timer's own cost (tens of ns) is in both";
        return
        [
            BenchResult.FromSamples("grain call latency p50", "direct interface call", "µs", higherIsBetter: false, p50, referenceP50, Note),
            BenchResult.FromSamples("grain call latency p99", "direct interface call", "µs", higherIsBetter: false, p99, referenceP99, Note),
        ];
    }

    private static (double P50, double P99) Percentiles(long[] sortedDurations) =>
        (CallLoad.TicksToMicroseconds(Stats.PercentileOfSorted(sortedDurations, 50)),
         CallLoad.TicksToMicroseconds(Stats.PercentileOfSorted(sortedDurations, 99)));
}
