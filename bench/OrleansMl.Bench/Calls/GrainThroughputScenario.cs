using OrleansMl.Bench.Measurement;
using OrleansMl.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>Grain calls per second on the embedded silo with many concurrent callers, against the same calls on a plain object.</summary>
internal static class GrainThroughputScenario
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, BenchSettings settings)
    {
        Console.WriteLine($"grain call throughput: {settings.Callers} callers, {settings.WarmUp.TotalSeconds:0.#} s warm-up, {settings.Repetitions} x {settings.ThroughputDuration.TotalSeconds:0.#} s");
        IPingCall grain = new GrainPingCall(grains.GetGrain<IPingGrain>(0));
        IPingCall local = new LocalPing();
        await CallLoad.ThroughputAsync(grain, settings.Callers, settings.WarmUp);
        await CallLoad.ThroughputAsync(local, settings.Callers, settings.ThroughputDuration);

        var samples = new double[settings.Repetitions];
        var referenceSamples = new double[settings.Repetitions];
        for (var i = 0; i < settings.Repetitions; i++)
        {
            samples[i] = await CallLoad.ThroughputAsync(grain, settings.Callers, settings.ThroughputDuration);
            referenceSamples[i] = await CallLoad.ThroughputAsync(local, settings.Callers, settings.ThroughputDuration);
        }

        return
        [
            BenchResult.FromSamples($"grain call throughput, {settings.Callers} callers", "direct interface call", "calls/s", higherIsBetter: true, samples, referenceSamples,
                note: "each caller is an async loop on the thread pool awaiting one call at a time; the reference's calls complete synchronously"),
        ];
    }
}
