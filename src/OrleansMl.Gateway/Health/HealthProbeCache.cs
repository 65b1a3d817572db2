using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansMl.Gateway.Health;

/// <summary>
/// The readiness probes' last answers, kept for <see cref="Lifetime"/>: the probe is anonymous, so
/// without this every hit would reach storage and the cluster; with it, a flood of probes costs one
/// storage call and one grain call every two seconds. Callers during a probe share it.
/// </summary>
public sealed class HealthProbeCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (long At, Task<HealthCheckResult> Probe)> _last = new(StringComparer.Ordinal);

    /// <param name="probe">Runs the check; it must not depend on one caller's cancellation, since callers share it.</param>
    public Task<HealthCheckResult> GetAsync(string name, Func<Task<HealthCheckResult>> probe)
    {
        var now = time.GetTimestamp();
        if (_last.TryGetValue(name, out var last) && (!last.Probe.IsCompleted || time.GetElapsedTime(last.At, now) < Lifetime))
        {
            return last.Probe;
        }

        var next = probe();
        _last[name] = (now, next);
        return next;
    }
}
