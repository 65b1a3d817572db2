namespace OrleansMl.Experiments;

/// <summary>
/// One training run (key: "{experiment}/{index}"). It trains in the background on its silo (and the
/// partition grains it uses), records metrics, artifacts and silos, and reports to its experiment.
/// When its silo dies the run is re-activated elsewhere and resumes from its last checkpoint or restarts.
/// </summary>
[Alias("orleansml.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    /// <summary>The key of run <paramref name="index"/> of <paramref name="experiment"/>: <c>{experiment}/{index:D5}</c>.</summary>
    public static string KeyOf(string experiment, int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{experiment}/{index:D5}");

    /// <summary>Starts the run unless it already started (idempotent); returns at once.</summary>
    [Alias("StartAsync")]
    Task StartAsync(RunRequest request);

    [Alias("GetAsync")]
    Task<RunInfo?> GetAsync();

    [Alias("CancelAsync")]
    Task CancelAsync();

    /// <summary>Forgets a finished run (its experiment is being deleted; the experiment deletes the files); internal to the platform.</summary>
    [Alias("ForgetAsync")]
    Task ForgetAsync();
}
