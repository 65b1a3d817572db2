namespace OrleansMl.Datasets;

/// <summary>
/// The <c>OrleansMl:Datasets</c> section. Imports from a server path (<c>source.path</c>) may read
/// only under <see cref="ImportRoots"/> and the data directory's <c>imports</c> folder, so an API key
/// with the scientist role cannot read arbitrary files of the silo's machine. Uploads and artifacts
/// are not affected.
/// </summary>
public sealed class DatasetImportOptions
{
    public const string SectionName = "OrleansMl:Datasets";

    /// <summary>Folders server-path imports may read from. Default: none besides the data directory's <c>imports</c>.</summary>
    public List<string> ImportRoots { get; set; } = [];

    /// <summary>The most bytes an image archive (zip, tar) may unpack to. Default 16 GiB.</summary>
    public long MaxArchiveBytes { get; set; } = 16L << 30;

    /// <summary>The most files an image archive may hold. Default 1,000,000.</summary>
    public int MaxArchiveFiles { get; set; } = 1_000_000;

    /// <summary>
    /// The most bytes (in memory, as the partition grain holds it) one partition of an import may
    /// take. A partition grain caches its whole partition, so an import makes more partitions than
    /// asked rather than one that a silo cannot hold. Default 1 GiB.
    /// </summary>
    public long MaxPartitionBytes { get; set; } = 1L << 30;

    /// <summary>
    /// The most bytes of dataset columns one silo's partition grains keep in memory; past it the least recently used
    /// partitions let theirs go and read them again when next used (<see cref="PartitionCacheBudget"/>). Default (0):
    /// half of the memory the process may use (the container's limit, or the machine's).
    /// </summary>
    public long PartitionCacheBytes { get; set; }

    /// <summary>The data directory's <c>imports</c> folder, always allowed (set by the host).</summary>
    public string? DefaultRoot { get; set; }

    /// <summary>True when <paramref name="path"/> lies under an allowed root (<see cref="ServerFolders.Allows"/>: links resolved, no <c>..</c>, never the kernel's virtual file systems).</summary>
    public bool Allows(string path) => ServerFolders.Allows(path, ImportRoots.Append(DefaultRoot));

    /// <summary>The allowed roots, for error messages.</summary>
    public string Describe() => string.Join(", ", ImportRoots.Append(DefaultRoot).OfType<string>());
}
