using OrleansMl.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>The reference: what the ping grain does, as a plain object called directly in-process.</summary>
internal sealed class LocalPing : IPingCall
{
    private readonly string _silo = "local";

    public ValueTask<PingReply> PingAsync(long value) => ValueTask.FromResult(new PingReply(value, _silo));
}
