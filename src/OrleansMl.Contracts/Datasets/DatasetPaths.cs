using System.Globalization;

namespace OrleansMl.Datasets;

/// <summary>
/// The data-lake layout in the artifact store: <c>datasets/{name}/v{n}/part-00000.parquet</c> …,
/// <c>manifest.json</c> written last (a version without it is incomplete), <c>statistics.json</c>
/// once described; skipped records under <c>datasets/{name}/_quarantine/v{n}.csv</c>.
/// </summary>
public static class DatasetPaths
{
    /// <summary>Where every dataset's files are.</summary>
    public const string Folder = "datasets/";

    public static string Version(string dataset, int version) => $"datasets/{dataset}/v{version}/";

    public static string Part(string dataset, int version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"datasets/{dataset}/v{version}/part-{index:D5}.parquet");

    public static string Manifest(string dataset, int version) => $"datasets/{dataset}/v{version}/manifest.json";

    public static string Statistics(string dataset, int version) => $"datasets/{dataset}/v{version}/statistics.json";

    public static string Quarantine(string dataset, int version) => $"{QuarantineFolder(dataset)}v{version}.csv";

    public static string QuarantineFolder(string dataset) => $"datasets/{dataset}/_quarantine/";

    /// <summary>The partition grain key "{dataset}/v{version}/{index}".</summary>
    public static string PartitionKey(string dataset, int version, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{dataset}/v{version}/{index}");

    public static (string Dataset, int Version, int Index) ParsePartitionKey(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[1].StartsWith('v')
            && int.TryParse(parts[1].AsSpan(1), CultureInfo.InvariantCulture, out var version)
            && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var index)
            ? (parts[0], version, index)
            : throw new ArgumentException($"'{key}' is not a partition key of the form dataset/v1/0.", nameof(key));
    }
}
