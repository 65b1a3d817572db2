using Orleans.Placement;

namespace OrleansMl.Sql;

/// <summary>
/// Placed on the silo of the first caller (the coordinator starting the query), where <see cref="RunningQueries"/>
/// holds the query's cancellation; DELETE /v1/sql/{id} from any gateway reaches it here.
/// </summary>
[PreferLocalPlacement, GrainType("orleansml.sql-query")]
public sealed class SqlQueryGrain(RunningQueries running) : Grain, ISqlQueryGrain
{
    public Task AttachAsync()
    {
        DelayDeactivation(TimeSpan.FromDays(1)); // however long the query runs, a cancel must find it here
        return Task.CompletedTask;
    }

    public Task DetachAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<bool> CancelAsync() => Task.FromResult(running.Cancel(this.GetPrimaryKeyString()));
}
