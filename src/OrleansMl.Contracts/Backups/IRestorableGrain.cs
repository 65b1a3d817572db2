namespace OrleansMl.Backups;

/// <summary>
/// A grain whose durable state a backup copies and a restore brings back: datasets, experiments,
/// runs, models, endpoints and workspaces. The state travels as the Orleans serializer writes it
/// (version tolerant, the same bytes grain storage holds).
/// </summary>
[Alias("orleansml.IRestorableGrain")]
public interface IRestorableGrain : IGrainWithStringKey
{
    /// <summary>The grain's state as last written, or null when it has none.</summary>
    [Alias("ExportStateAsync")]
    Task<byte[]?> ExportStateAsync();

    /// <summary>
    /// Writes <paramref name="snapshot"/> as the grain's state, then deactivates the grain so that its
    /// next activation recovers from it as after a restart (an interrupted operation is finished or
    /// undone, a run that was training starts again).
    /// </summary>
    /// <exception cref="ResourceConflictException">The grain has state already: a restore never overwrites.</exception>
    [Alias("RestoreStateAsync")]
    Task RestoreStateAsync(byte[] snapshot);
}
