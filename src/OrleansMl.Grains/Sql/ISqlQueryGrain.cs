namespace OrleansMl.Sql;

/// <summary>A running query by id, activated on the silo whose coordinator runs it, so that a cancel reaches that silo.</summary>
[Alias("orleansml.ISqlQueryGrain")]
public interface ISqlQueryGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain here, next to the coordinator that calls it, and keeps it while the query runs.</summary>
    [Alias("AttachAsync")]
    Task AttachAsync();

    /// <summary>The query ended: the grain goes when idle.</summary>
    [Alias("DetachAsync")]
    Task DetachAsync();

    /// <summary>Cancels the query if it runs on this silo; whether it did.</summary>
    [Alias("CancelAsync")]
    Task<bool> CancelAsync();
}
