namespace OrleansMl;

/// <summary>The names grains use in <c>[PersistentState(..., storageName)]</c>; hosting registers a provider for each.</summary>
public static class GrainStorageNames
{
    /// <summary>Durable metadata: workspaces, datasets, experiments, models. Local files or Azure Blob.</summary>
    public const string Metadata = "orleansml";
}
