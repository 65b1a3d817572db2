namespace OrleansMl.Client;

/// <summary>Import settings; each is optional, and the server's default applies when it is null (see docs/api.md).</summary>
/// <param name="Delimiter">One character or <c>tab</c>; detected among <c>, tab ; |</c> when absent.</param>
/// <param name="HasHeader">The first line holds column names (default true).</param>
/// <param name="NullValues">Texts read as null (default: empty, NA, N/A, null, NULL).</param>
/// <param name="ColumnTypes">Column → type, overriding inference.</param>
/// <param name="BadRecords"><c>fail</c> (default) or <c>skip</c> (quarantine and count).</param>
/// <param name="Partitions">The number of partitions; by default from the row count and the silos.</param>
/// <param name="InferenceRows">Records sampled to infer types (default 10,000).</param>
/// <param name="ImageWidth">Image folders: the width every image is resized to.</param>
/// <param name="ImageHeight">Image folders: the height every image is resized to.</param>
/// <param name="ImageChannels">Image folders: 1 (grayscale, default) or 3 (RGB).</param>
public sealed record ImportOptions(
    string? Delimiter = null,
    bool? HasHeader = null,
    IReadOnlyList<string>? NullValues = null,
    IReadOnlyDictionary<string, string>? ColumnTypes = null,
    string? BadRecords = null,
    int? Partitions = null,
    int? InferenceRows = null,
    int? ImageWidth = null,
    int? ImageHeight = null,
    int? ImageChannels = null);
