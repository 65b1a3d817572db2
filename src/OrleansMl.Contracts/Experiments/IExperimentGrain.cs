namespace OrleansMl.Experiments;

/// <summary>
/// An experiment (key: its name): a spec and the runs its search strategy starts, at most
/// MaxConcurrentRuns at a time, spread over the silos. Every run is accounted for before it finishes.
/// </summary>
[Alias("orleansml.IExperimentGrain")]
public interface IExperimentGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    /// <summary>Creates the experiment (pinning dataset versions) and starts it.</summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message names the field.</exception>
    [Alias("StartAsync")]
    Task<ExperimentInfo> StartAsync(ExperimentSpec spec);

    [Alias("GetAsync")]
    Task<ExperimentInfo?> GetAsync();

    /// <summary>Runs, sorted by a metric (best first by default) or by index, a page at a time.</summary>
    [Alias("ListRunsAsync")]
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(string? sortBy = null, bool? descending = null, int skip = 0, int take = 100, string? filter = null);

    /// <summary>Stops starting runs and cancels the running ones.</summary>
    [Alias("CancelAsync")]
    Task<ExperimentInfo> CancelAsync();

    /// <summary>
    /// Waits up to <paramref name="maxWait"/>, at most <see cref="MaxWait"/> (under the grain call
    /// timeout), for the experiment to finish; call again to wait longer.
    /// </summary>
    [Alias("WaitAsync")]
    Task<ExperimentInfo> WaitAsync(TimeSpan maxWait);

    /// <summary>Streams run updates as they happen, starting with every run's current state, until the experiment finishes.</summary>
    [Alias("WatchAsync")]
    IAsyncEnumerable<RunSummary> WatchAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a finished experiment: its runs, their artifacts and metric histories. Refused (409) while
    /// it runs. Registered model versions are copies and stay; so do the datasets its split wrote.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such experiment.</exception>
    [Alias("DeleteAsync")]
    Task DeleteAsync();

    /// <summary>
    /// Deletes one finished run: its artifacts and metric history go, listings and the best run leave it
    /// out, its index is not reused. Refused (409) while it runs.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such run, or it was deleted.</exception>
    [Alias("DeleteRunAsync")]
    Task DeleteRunAsync(int index);

    /// <summary>A run reports its progress or end; internal to the platform.</summary>
    [Alias("ReportAsync")]
    Task ReportAsync(RunSummary run);

    /// <summary>
    /// A run reports the experiment's metric after an epoch; the answer is why it should stop now (the
    /// experiment's stopping rule, <c>params.stop_rule</c>), or null to go on. Internal to the platform.
    /// </summary>
    [Alias("ReportEpochAsync")]
    Task<string?> ReportEpochAsync(int index, int epoch, double value);
}
