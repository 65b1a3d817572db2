namespace OrleansMl.Datasets;

[GenerateSerializer, Alias("orleansml.DatasetState")]
public sealed class DatasetState
{
    /// <summary>Visible versions, oldest first.</summary>
    [Id(0)] public List<DatasetVersionInfo> Versions { get; set; } = [];

    /// <summary>Version numbers are never reused, even after a failed operation.</summary>
    [Id(1)] public int NextVersion { get; set; } = 1;

    /// <summary>Recent operations, newest first (at most <see cref="MaxOperations"/>).</summary>
    [Id(2)] public List<DatasetOperation> Operations { get; set; } = [];

    /// <summary>Splits this dataset is running, until both of their versions are visible or removed.</summary>
    [Id(3)] public List<PendingSplit> Splits { get; set; } = [];

    /// <summary>Deleted versions whose files are still to be removed: written with their removal from <see cref="Versions"/>, so a crash cannot orphan them.</summary>
    [Id(4)] public List<int> Deleting { get; set; } = [];

    /// <summary>The whole dataset is being deleted: its other files (the quarantine) go too, and it leaves the catalog.</summary>
    [Id(5)] public bool DeletingAll { get; set; }

    /// <summary>What read this dataset's versions (<see cref="IDatasetGrain.RecordUseAsync"/>), newest first (at most <see cref="MaxUses"/>).</summary>
    [Id(6)] public List<DatasetUse> Uses { get; set; } = [];

    public const int MaxOperations = 50;

    /// <summary>Uses kept for the lineage graph: enough for a dataset many experiments train on, small enough for the grain's state.</summary>
    public const int MaxUses = 1000;
}
