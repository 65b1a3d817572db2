using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Gateway.Health;

namespace OrleansMl.Gateway.Tests.Health;

/// <summary>A flood of anonymous readiness probes costs one real probe per two seconds; callers during a probe share it.</summary>
public sealed class HealthProbeCacheTests
{
    [Fact]
    public async Task ProbesDuringAndJustAfterAProbeShareItsAnswer()
    {
        var time = new ManualTime();
        var cache = new HealthProbeCache(time);
        var runs = 0;
        var gate = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HealthCheckResult> Probe()
        {
            Interlocked.Increment(ref runs);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("store", Probe)).ToList();
        gate.SetResult(HealthCheckResult.Unhealthy("down"));
        var answers = await Task.WhenAll(waiting);
        time.Advance(HealthProbeCache.Lifetime - TimeSpan.FromMilliseconds(1));
        var cached = await cache.GetAsync("store", Probe);

        Assert.Equal(1, runs);
        Assert.All(answers, a => Assert.Equal(HealthStatus.Unhealthy, a.Status));
        Assert.Equal(HealthStatus.Unhealthy, cached.Status);

        time.Advance(TimeSpan.FromMilliseconds(2));
        gate = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult(HealthCheckResult.Healthy());
        Assert.Equal(HealthStatus.Healthy, (await cache.GetAsync("store", Probe)).Status);
        Assert.Equal(2, runs);
        Assert.Equal(HealthStatus.Healthy, (await cache.GetAsync("cluster", () => Task.FromResult(HealthCheckResult.Healthy()))).Status); // each check has its own answer
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
