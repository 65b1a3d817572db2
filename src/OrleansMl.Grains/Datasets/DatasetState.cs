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

    public const int MaxOperations = 50;
}
