namespace OrleansMl.Workspaces;

[GenerateSerializer, Alias("orleansml.WorkspaceState")]
public sealed class WorkspaceState
{
    [Id(0)] public WorkspaceInfo? Workspace { get; set; }
}
