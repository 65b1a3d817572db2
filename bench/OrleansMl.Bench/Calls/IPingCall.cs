using OrleansMl.Diagnostics;

namespace OrleansMl.Bench.Calls;

/// <summary>The shape of <see cref="IPingGrain.PingAsync"/>, so a grain and a plain object are driven by the same loop.</summary>
internal interface IPingCall
{
    ValueTask<PingReply> PingAsync(long value);
}
