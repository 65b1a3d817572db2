using System.Diagnostics;
using OrleansMl.Bench.Measurement;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// Single-row and 1,000-row predictions over HTTP on loopback, load from wrk (maximum rate) and hey
/// (fixed rate). <see cref="MeasureAsync"/> drives any endpoint; <see cref="MeasureFloorAsync"/> measures the
/// floor (<see cref="FloorServer"/>: a minimal ASP.NET Core app calling the model in-process);
/// <see cref="Compare"/> sets the platform against the floor and the targets.
/// </summary>
internal static class ServingScenario
{
    /// <summary>Open connections of the maximum-rate runs: enough to keep 2 cores busy through the loopback round trip, few enough not to measure queueing alone.</summary>
    public const int SingleRowConnections = 32;

    public const int BatchConnections = 4;

    /// <summary>
    /// Requests per second asked of one hey worker in the fixed-rate runs. hey's workers tick in step, so requests
    /// leave in bursts of one per worker, and p99 grows with the number of workers at the same rate (on this
    /// 2-core machine at 10,000 req/s: 1.9 ms with 15 workers, 4.4 ms with 34); a worker also skips a tick when its
    /// previous answer is late, so too few workers miss the rate. About 600/s each keeps both small.
    /// </summary>
    public const double FixedRatePerWorker = 600;

    public const int WrkThreads = 2;

    public const double TargetThroughputRatio = 0.7;

    public const double TargetP99Ms = 10;

    public const double TargetBatchRowsPerSecond = 200_000;

    /// <summary>Serves <paramref name="model"/> from the floor app (started and stopped here) and measures it as <see cref="MeasureAsync"/> does: the reference for <see cref="Compare"/>.</summary>
    public static async Task<ServingMeasurement> MeasureFloorAsync(ServingModel model, BenchSettings settings, CancellationToken cancellationToken = default)
    {
        await using var floor = await FloorServer.StartAsync(model.ModelPath, cancellationToken);
        var endpoint = new ServingEndpoint("floor", floor.PredictUrl, model.SingleRowBodyPath, model.BatchBodyPath, model.BatchRows, new Dictionary<string, string>(),
            // The floor serves from this process, which does nothing else while wrk runs.
            () => Process.GetCurrentProcess().TotalProcessorTime);
        return await MeasureAsync(endpoint, settings, cancellationToken);
    }

    /// <summary>
    /// Drives one endpoint: warm-up runs at full load (<see cref="WarmUpAsync"/>), then single-row requests at the maximum rate
    /// (<see cref="BenchSettings.Repetitions"/> wrk runs), at half the median of that rate (as many hey runs),
    /// and batch requests at the maximum rate (as many wrk runs). Throws if any request of a measured run fails.
    /// </summary>
    public static async Task<ServingMeasurement> MeasureAsync(ServingEndpoint endpoint, BenchSettings settings, CancellationToken cancellationToken = default)
    {
        await LoadGenerator.EnsureInstalledAsync();
        var duration = LoadDuration(settings);
        var repetitions = settings.Repetitions;
        await WarmUpAsync(endpoint, settings, cancellationToken);
        (await LoadGenerator.MaxThroughputAsync(endpoint.Batch, BatchConnections, settings.WarmUp, WrkThreads, cancellationToken)).EnsureSucceeded($"{endpoint.Name} batch warm-up");

        var maxRate = new LoadResult[repetitions];
        var cpuPerRequest = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var cpuBefore = endpoint.ServerCpu();
            maxRate[i] = (await LoadGenerator.MaxThroughputAsync(endpoint.SingleRow, SingleRowConnections, duration, WrkThreads, cancellationToken))
                .EnsureSucceeded($"{endpoint.Name} single-row maximum rate, repetition {i + 1}");
            cpuPerRequest[i] = (endpoint.ServerCpu() - cpuBefore).TotalMicroseconds / maxRate[i].Requests;
        }

        var halfRate = Stats.Median([.. maxRate.Select(r => r.RequestsPerSecond)]) / 2;
        var atHalfRate = new LoadResult[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            atHalfRate[i] = (await LoadGenerator.FixedRateAsync(endpoint.SingleRow, halfRate, FixedRateWorkers(halfRate), duration, cancellationToken))
                .EnsureSucceeded($"{endpoint.Name} single-row at {halfRate:F0} req/s, repetition {i + 1}");
        }

        var batch = new LoadResult[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            batch[i] = (await LoadGenerator.MaxThroughputAsync(endpoint.Batch, BatchConnections, duration, WrkThreads, cancellationToken))
                .EnsureSucceeded($"{endpoint.Name} {endpoint.BatchRows}-row maximum rate, repetition {i + 1}");
        }

        return new ServingMeasurement(endpoint.Name, maxRate, cpuPerRequest, halfRate, atHalfRate, batch, endpoint.BatchRows);
    }

    /// <summary>
    /// Full single-row load until the server's CPU per request has not fallen by 5 % for <see cref="WarmUpPlateau"/>
    /// (at most <see cref="MaxWarmUp"/>). The rate is a poor guide: under full load the runtime's tiered JIT gets
    /// little CPU, and a server holds one rate for 10-15 s before its hot code is recompiled (measured on this
    /// 2-core machine, 5 s runs of the platform: 357, 345, 351, 237, 180, 93, 80 us per request), so a warm-up
    /// that stopped when the rate first held still compared a half-warm server with a warm one.
    /// </summary>
    private static async Task WarmUpAsync(ServingEndpoint endpoint, BenchSettings settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var best = double.MaxValue;
        var bestAt = TimeSpan.Zero;
        while (watch.Elapsed - bestAt < WarmUpPlateau && watch.Elapsed < MaxWarmUp)
        {
            var cpuBefore = endpoint.ServerCpu();
            var run = (await LoadGenerator.MaxThroughputAsync(endpoint.SingleRow, SingleRowConnections, settings.WarmUp, WrkThreads, cancellationToken))
                .EnsureSucceeded($"{endpoint.Name} single-row warm-up");
            var cpuPerRequest = (endpoint.ServerCpu() - cpuBefore).TotalMicroseconds / run.Requests;
            if (cpuPerRequest < best * 0.95)
            {
                (best, bestAt) = (cpuPerRequest, watch.Elapsed);
            }
        }
    }

    /// <summary>The platform against the floor, one row per target of the issue; each note says whether the target is met.</summary>
    public static BenchResult[] Compare(ServingMeasurement platform, ServingMeasurement floor)
    {
        var throughput = Stats.Median(platform.RequestsPerSecond) / Stats.Median(floor.RequestsPerSecond);
        var p99 = Stats.Median(platform.HalfRateP99Ms);
        var rows = Stats.Median(platform.BatchRowsPerSecond);
        return
        [
            BenchResult.FromSamples("single-row predictions over HTTP", "minimal ASP.NET Core app, model in-process", "req/s", true, platform.RequestsPerSecond, floor.RequestsPerSecond,
                $"target at least {TargetThroughputRatio}x the floor: {Met(throughput >= TargetThroughputRatio)}; wrk -t{WrkThreads} -c{SingleRowConnections}. {platform.Summary}. {floor.Summary}"),
            BenchResult.FromSamples("server CPU per single-row request", "minimal ASP.NET Core app, model in-process", "us", false, platform.CpuMicrosPerRequest, floor.CpuMicrosPerRequest,
                "CPU time of the serving process (all threads) over a maximum-rate run, divided by its requests: what sets the rate when every core is busy (a loaded machine)"),
            BenchResult.FromSamples("single-row p99 at half the maximum rate", "minimal ASP.NET Core app, model in-process", "ms", false, platform.HalfRateP99Ms, floor.HalfRateP99Ms,
                $"target at most {TargetP99Ms} ms: {Met(p99 <= TargetP99Ms)}; each at half its own maximum rate ({NumberFormat.Compact(platform.HalfRate)} and {NumberFormat.Compact(floor.HalfRate)} req/s), hey with one worker per {FixedRatePerWorker} req/s"),
            BenchResult.FromSamples($"{platform.BatchRows:N0}-row requests", "minimal ASP.NET Core app, model in-process", "rows/s", true, platform.BatchRowsPerSecond, floor.BatchRowsPerSecond,
                $"target at least {TargetBatchRowsPerSecond:N0} rows/s: {Met(rows >= TargetBatchRowsPerSecond)}; wrk -t{WrkThreads} -c{BatchConnections}"),
        ];
    }

    public static readonly TimeSpan WarmUpPlateau = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(120);

    /// <summary>One load run: 5 throughput durations (10 s full, 3 s at least; wrk and hey take whole seconds).</summary>
    public static TimeSpan LoadDuration(BenchSettings settings) =>
        TimeSpan.FromSeconds(Math.Max(3, Math.Round(settings.ThroughputDuration.TotalSeconds * 5)));

    /// <summary>hey workers for a fixed rate: one per <see cref="FixedRatePerWorker"/> requests per second, at least 2.</summary>
    public static int FixedRateWorkers(double requestsPerSecond) => Math.Max(2, (int)Math.Ceiling(requestsPerSecond / FixedRatePerWorker));

    private static string Met(bool met) => met ? "met" : "NOT met";
}
