namespace OrleansMl.Client;

/// <summary>How an uploaded file is imported; null leaves a setting to the server (the format then comes from the file name).</summary>
/// <param name="Format">csv, tsv, jsonl, parquet, or images (a .zip, .tar or .tar.gz of class folders).</param>
/// <param name="ImageWidth">Images: the width every image is resized to (required for images), as <paramref name="ImageHeight"/>.</param>
/// <param name="ImageChannels">Images: 1 (grayscale, default) or 3 (RGB).</param>
/// <param name="Delimiter">One character or <c>tab</c>.</param>
/// <param name="BadRecords"><c>fail</c> or <c>skip</c>.</param>
public sealed record UploadOptions(
    string? Format = null, string? Delimiter = null, bool? HasHeader = null, string? BadRecords = null, int? Partitions = null,
    int? ImageWidth = null, int? ImageHeight = null, int? ImageChannels = null);
