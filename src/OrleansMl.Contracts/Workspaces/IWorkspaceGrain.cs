namespace OrleansMl.Workspaces;

/// <summary>
/// A workspace groups a team's datasets, experiments and models and carries its description and
/// tags. Keyed by the workspace name; its state is durable in the configured grain storage.
/// </summary>
[Alias("orleansml.IWorkspaceGrain")]
public interface IWorkspaceGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    /// <summary>The workspace, or null when it was never created or has been deleted.</summary>
    [Alias("GetAsync")]
    Task<WorkspaceInfo?> GetAsync();

    /// <summary>Creates the workspace or replaces its description and tags.</summary>
    /// <exception cref="ArgumentException">A tag key or value breaks the limits of <see cref="WorkspaceUpdate"/>.</exception>
    [Alias("UpsertAsync")]
    Task<WorkspaceInfo> UpsertAsync(WorkspaceUpdate update);

    /// <summary>Deletes the workspace; false when there was none.</summary>
    [Alias("DeleteAsync")]
    Task<bool> DeleteAsync();
}
