using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>Validates an import request and opens its source (a server path or an artifact).</summary>
public static class ImportSource
{
    public const string Csv = "csv";
    public const string Tsv = "tsv";
    public const string Parquet = "parquet";
    public const string JsonLines = "jsonl";

    /// <summary>A JSON file: one array of objects, or one object per line (the same reader tells them apart).</summary>
    public const string Json = "json";
    public const string Idx = "idx";

    /// <summary>Arrow IPC: a Feather v2 / .arrow file or an Arrow stream.</summary>
    public const string Arrow = "arrow";
    public const string Images = "images";

    public static readonly IReadOnlyList<string> Formats = [Csv, Tsv, Parquet, JsonLines, Json, Arrow, Idx, Images];

    /// <summary>Checks the request and returns its format; messages name the field.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public static string Validate(ImportRequest request, DatasetImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Source ?? throw FieldError.Invalid("source is required.", "source");
        if ((source.Path is null) == (source.Artifact is null))
        {
            throw FieldError.Invalid("source needs exactly one of 'path' (a file the server can read) and 'artifact' (a path in the artifact store).", "source");
        }

        foreach (var (field, local) in new[] { ("source.path", source.Path), ("source.labelsPath", source.LabelsPath) })
        {
            if (local is not null && !options.Allows(local))
            {
                throw FieldError.Invalid($"{field} '{local}' is outside the folders imports may read ({options.Describe()}); upload the file instead, or add its folder to OrleansMl:Datasets:ImportRoots.", field);
            }
        }

        if (source.Path is { } path && !File.Exists(path) && !Directory.Exists(path) && !(ParquetPartsReader.IsGlob(path) && ParquetPartsReader.Find(path).Count > 0))
        {
            throw FieldError.Invalid(
                ParquetPartsReader.IsGlob(path)
                    ? $"source.path '{path}' matches no file on the server (a glob may have * and ? in its last segment only, e.g. /data/sales/part-*.parquet)."
                    : $"source.path '{path}' does not exist on the server.",
                "source.path");
        }

        if (source.Artifact is { } artifact)
        {
            ArtifactPath.Validate(artifact);
        }

        if (source.LabelsPath is { } labels && !File.Exists(labels))
        {
            throw FieldError.Invalid($"source.labelsPath '{labels}' does not exist on the server.", "source.labelsPath");
        }

        var format = request.Format?.ToLowerInvariant() ?? FromName(source.Path ?? source.Artifact!);
        if (!Formats.Contains(format))
        {
            throw FieldError.Invalid($"format '{request.Format}' is not supported. Formats: {string.Join(", ", Formats)}.", "format");
        }

        if (format == Images && !Directory.Exists(source.Path ?? "") && !Data.Formats.Images.ImageArchive.IsArchive(source.Path ?? source.Artifact!))
        {
            throw FieldError.Invalid("An image import needs a folder whose sub-folders are the labels (source.path), or a .zip, .tar or .tar.gz of such folders (source.path or an upload).", "source.path");
        }

        if (format == Images && (request.Options?.ImageWidth is not > 0 || request.Options?.ImageHeight is not > 0))
        {
            throw FieldError.Invalid("An image import needs options.imageWidth and options.imageHeight (the size every image is resized to).", "options.imageWidth");
        }

        var settings = request.Options;
        if (settings?.BadRecords is { } policy && policy is not ("fail" or "skip"))
        {
            throw FieldError.Invalid($"options.badRecords must be 'fail' or 'skip'; got '{policy}'.", "options.badRecords");
        }

        if (settings?.Partitions is { } partitions && partitions is < 1 or > 4096)
        {
            throw FieldError.Invalid($"options.partitions must be between 1 and 4096; got {partitions}.", "options.partitions");
        }

        if (settings?.Delimiter is { } delimiter && delimiter != "tab" && delimiter.Length != 1)
        {
            throw FieldError.Invalid($"options.delimiter must be one character or 'tab'; got '{delimiter}'.", "options.delimiter");
        }

        if (settings?.ImageChannels is { } channels && channels is not (1 or 3))
        {
            throw FieldError.Invalid($"options.imageChannels must be 1 or 3; got {channels}.", "options.imageChannels");
        }

        return format;
    }

    /// <summary>Guesses the format from a file or folder name.</summary>
    public static string FromName(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith(".gz", StringComparison.Ordinal))
        {
            lower = lower[..^3];
        }

        return lower switch
        {
            _ when lower.EndsWith(".csv", StringComparison.Ordinal) => Csv,
            _ when lower.EndsWith(".tsv", StringComparison.Ordinal) || lower.EndsWith(".tab", StringComparison.Ordinal) => Tsv,
            _ when lower.EndsWith(".parquet", StringComparison.Ordinal) || lower.EndsWith(".pq", StringComparison.Ordinal) => Parquet,
            _ when lower.EndsWith(".jsonl", StringComparison.Ordinal) || lower.EndsWith(".ndjson", StringComparison.Ordinal) => JsonLines,
            _ when lower.EndsWith(".json", StringComparison.Ordinal) => Json,
            _ when lower.EndsWith(".arrow", StringComparison.Ordinal) || lower.EndsWith(".feather", StringComparison.Ordinal)
                || lower.EndsWith(".ipc", StringComparison.Ordinal) || lower.EndsWith(".arrows", StringComparison.Ordinal) => Arrow,
            _ when lower.Contains("-ubyte", StringComparison.Ordinal) || lower.EndsWith(".idx", StringComparison.Ordinal) => Idx,
            _ when Directory.Exists(name) && ParquetPartsReader.Find(name).Count > 0 => Parquet, // a folder of part files, as Spark and DuckDB write a table
            _ when Directory.Exists(name) || Data.Formats.Images.ImageArchive.IsArchive(name) => Images,
            _ => throw FieldError.Invalid($"The format cannot be told from the name '{Path.GetFileName(name.TrimEnd('/'))}'; set 'format' ({string.Join(", ", Formats)}).", "format"), // the file's own name: an upload's artifact path is the platform's
        };
    }

    /// <summary>Opens a file or artifact for reading, with its length when known.</summary>
    public static async Task<(Stream Stream, long? Length)> OpenAsync(IArtifactStore store, string? path, string? artifact, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return (file, file.Length);
        }

        var info = await store.GetInfoAsync(artifact!, cancellationToken) ?? throw FieldError.Invalid($"source.artifact '{artifact}' does not exist in the artifact store.", "source.artifact");
        return (await store.OpenReadAsync(artifact!, cancellationToken), info.Length);
    }

    /// <summary>Opens a seekable copy: the file itself, or an artifact copied to a temporary file deleted on close.</summary>
    public static async Task<Stream> OpenSeekableAsync(IArtifactStore store, string? path, string? artifact, CancellationToken cancellationToken)
    {
        var (stream, _) = await OpenAsync(store, path, artifact, cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await using (stream)
        {
            await stream.CopyToAsync(copy, cancellationToken);
        }

        copy.Position = 0;
        return copy;
    }
}
