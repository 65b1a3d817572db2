namespace OrleansMl.Diagnostics;

/// <summary>
/// A stateless grain that answers on whichever silo it is activated: readiness probes use it to
/// check that the cluster takes calls, and the benchmarks use it to measure the cost of a grain call.
/// </summary>
[Alias("orleansml.IPingGrain")]
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/> with the address of the silo that answered.</summary>
    [Alias("PingAsync")]
    ValueTask<PingReply> PingAsync(long value);
}
