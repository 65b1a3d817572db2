namespace OrleansMl.Client;

/// <summary>One active silo of the cluster.</summary>
/// <param name="Address">The silo's address (endpoint and generation).</param>
/// <param name="Status">Its membership status, e.g. <c>Active</c>.</param>
/// <param name="Activations">Grain activations on the silo.</param>
/// <param name="CpuPercent">The silo's recent CPU use, when known.</param>
/// <param name="MemoryBytes">The silo process's memory, when known (cached partitions are most of it).</param>
/// <param name="Overloaded">The silo sheds load until it recovers.</param>
/// <param name="GrainTypes">Activations per grain class, e.g. <c>PartitionGrain</c>: the dataset partitions it holds.</param>
public sealed record SiloInfo(
    string Address, string Name, string HostName, string Status, DateTime StartedAt,
    int Activations = 0, float? CpuPercent = null, long? MemoryBytes = null, bool Overloaded = false, IReadOnlyDictionary<string, int>? GrainTypes = null);
