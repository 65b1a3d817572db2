using Orleans.Concurrency;

namespace OrleansMl.Diagnostics;

[StatelessWorker]
[GrainType("orleansml.ping")]
public sealed class PingGrain(ILocalSiloDetails silo) : Grain, IPingGrain
{
    private readonly string _silo = silo.SiloAddress.ToString();

    public ValueTask<PingReply> PingAsync(long value) => ValueTask.FromResult(new PingReply(value, _silo));
}
