using OrleansMl.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>A call through Orleans: <see cref="IPingGrain"/> on a real silo.</summary>
internal sealed class GrainPingCall(IPingGrain grain) : IPingCall
{
    public ValueTask<PingReply> PingAsync(long value) => grain.PingAsync(value);
}
