using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Formats.Arrow;
using OrleansMl.Data.Formats.Csv;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Data.Formats.JsonLines;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Formats.Streams;
using OrleansMl.Data.Schema;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Datasets;

/// <summary>
/// Runs an import: reads the source on one thread while another encodes Parquet partitions
/// (pipelined through a bounded channel), uploads the partitions, then writes the manifest. On any
/// failure it deletes what it wrote, so no half version is ever visible.
/// </summary>
public sealed partial class DatasetImporter(IArtifactStore store, IOptions<DatasetImportOptions> options, TimeProvider timeProvider, ILogger<DatasetImporter> logger)
{
    /// <summary>Target in-memory size of one partition when the caller does not choose the count.</summary>
    public const long TargetPartitionBytes = 64L << 20;

    private const long TargetBatchBytes = 8L << 20;

    public async Task<DatasetVersionInfo> ImportAsync(string dataset, int version, ImportRequest request, int silos, OperationProgress progress, CancellationToken cancellationToken)
    {
        var format = Validate(request);
        LogImporting(logger, dataset, version, Describe(request.Source));
        try
        {
            return await Task.Run(() => RunAsync(dataset, version, format, request, silos, progress, cancellationToken), cancellationToken);
        }
        catch (Exception e)
        {
            LogImportFailed(logger, dataset, version, e.Message);
            await DatasetManifest.DeleteVersionFilesAsync(store, dataset, version, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Checks a request (fields, formats, allowed folders); returns its format.</summary>
    /// <exception cref="ArgumentException">The request is invalid; the field is named.</exception>
    public string Validate(ImportRequest request) => ImportSource.Validate(request, options.Value);

    /// <summary>The default partition count: one per silo at least, more when partitions would pass <see cref="TargetPartitionBytes"/>, never below 1,000 rows each.</summary>
    public static int DefaultPartitions(int silos, long estimatedRows, long bytesPerRow)
    {
        var bySize = (int)Math.Min(4096, Math.Ceiling(estimatedRows * (double)bytesPerRow / TargetPartitionBytes));
        var byRows = (int)Math.Max(1, estimatedRows / 1000);
        return Math.Clamp(Math.Max(silos, bySize), 1, byRows);
    }

    private async Task<DatasetVersionInfo> RunAsync(string dataset, int version, string format, ImportRequest request, int silos, OperationProgress progress, CancellationToken cancellationToken)
    {
        await using var quarantine = new QuarantineFile();
        using var reader = await OpenReaderAsync(format, request, progress, quarantine, cancellationToken);
        var first = reader.ReadBatch(10_000)
            ?? throw new DataFormatException(Describe(request.Source), "there are no rows to import");
        var bytesPerRow = Math.Max(1, first.EstimatedBytes / first.RowCount);
        var estimatedRows = progress.TotalBytes is { } total && reader.BytesRead > 0
            ? Math.Max(first.RowCount, (long)(first.RowCount * ((double)total / reader.BytesRead)))
            : first.RowCount;
        var partitions = request.Options?.Partitions ?? DefaultPartitions(silos, estimatedRows, bytesPerRow);

        // Batches go round-robin to partitions: at least ~8 batches per partition keeps them balanced.
        var batchRows = (int)Math.Clamp(Math.Min(TargetBatchBytes / bytesPerRow, estimatedRows / (partitions * 8L)), 256, 262_144);

        await using var spooler = new PartitionSpooler(reader.Schema, partitions, Environment.ProcessorCount, options.Value.MaxPartitionBytes, cancellationToken);
        for (var start = 0; start < first.RowCount; start += batchRows)
        {
            await spooler.AddAsync(first.Slice(start, Math.Min(batchRows, first.RowCount - start)));
        }

        while (reader.ReadBatch(batchRows) is { } batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Report(reader.BytesRead, reader.RowsRead, quarantine.Count);
            await spooler.AddAsync(batch);
        }

        var ranges = await spooler.CompleteAsync();
        if (reader is ImageFolderDatasetReader images)
        {
            foreach (var skipped in images.SkippedFiles)
            {
                quarantine.Add(new BadRecord(0, null, skipped.Reason, skipped.Path));
            }
        }
        progress.Report(reader.BytesRead, reader.RowsRead, quarantine.Count);
        var (rows, bytes) = await spooler.UploadAsync(store, i => DatasetPaths.Part(dataset, version, i), cancellationToken);
        if (quarantine.Count > 0)
        {
            progress.QuarantinePath = DatasetPaths.Quarantine(dataset, version);
            await quarantine.UploadAsync(store, progress.QuarantinePath, cancellationToken);
        }

        var info = new DatasetVersionInfo(
            version, timeProvider.GetUtcNow(), RowJson.Columns(reader.Schema), rows.Sum(), rows, bytes.Sum(),
            DatasetPaths.Version(dataset, version), new DatasetLineage("import", $"{format}:{Describe(request.Source)}", null, null, reader is ImageFolderDatasetReader ? [DecodeStep(request.Options!)] : []));
        await DatasetManifest.WriteAsync(store, dataset, info, bytes, ranges.ToJson(), cancellationToken);
        LogImported(logger, dataset, version, info.RowCount, spooler.PartitionCount);
        return info;
    }

    private async Task<IDatasetReader> OpenReaderAsync(string format, ImportRequest request, OperationProgress progress, QuarantineFile quarantine, CancellationToken cancellationToken)
    {
        var source = request.Source;
        var settings = request.Options ?? new ImportOptions();
        var name = Describe(source);
        var policy = settings.BadRecords == "skip" ? BadRecordPolicy.Skip : BadRecordPolicy.Fail;
        var types = ColumnTypes(settings);
        switch (format)
        {
            case ImportSource.Csv or ImportSource.Tsv:
            {
                var (stream, length) = await ImportSource.OpenAsync(store, source.Path, source.Artifact, cancellationToken);
                progress.TotalBytes = length;
                var text = SourceStream.Open(stream, name, options.Value.MaxArchiveBytes);
                var csv = new CsvOptions
                {
                    Delimiter = settings.Delimiter is "tab" || (format == ImportSource.Tsv && settings.Delimiter is null) ? '\t' : settings.Delimiter?[0],
                    HasHeader = settings.HasHeader ?? true,
                    NullValues = settings.NullValues ?? new CsvOptions().NullValues,
                    InferenceRows = settings.InferenceRows ?? 10_000,
                    ColumnTypes = types,
                    BadRecords = policy,
                };
                return new SourceCountingReader(new CsvDatasetReader(text.Data, name, csv, quarantine.Add), text);
            }

            case ImportSource.JsonLines or ImportSource.Json:
            {
                var (stream, length) = await ImportSource.OpenAsync(store, source.Path, source.Artifact, cancellationToken);
                progress.TotalBytes = length;
                var text = SourceStream.Open(stream, name, options.Value.MaxArchiveBytes);
                var jsonl = new JsonLinesOptions { InferenceRows = settings.InferenceRows ?? 10_000, ColumnTypes = types, BadRecords = policy };
                return new SourceCountingReader(new JsonLinesDatasetReader(text.Data, name, jsonl, quarantine.Add), text);
            }

            case ImportSource.Parquet when source.Path is { } parts && (Directory.Exists(parts) || ParquetPartsReader.IsGlob(parts)):
            {
                var reader = await ParquetPartsReader.OpenAsync(ParquetPartsReader.Find(parts), name, types, cancellationToken);
                progress.TotalBytes = reader.TotalBytes;
                return reader;
            }

            case ImportSource.Parquet:
            {
                var stream = await ImportSource.OpenSeekableAsync(store, source.Path, source.Artifact, cancellationToken);
                progress.TotalBytes = stream.Length;
                return await ParquetDatasetReader.OpenAsync(stream, name, types, cancellationToken);
            }

            case ImportSource.Arrow:
            {
                var stream = await ImportSource.OpenSeekableAsync(store, source.Path, source.Artifact, cancellationToken);
                progress.TotalBytes = stream.Length;
                return ArrowDatasetReader.Open(stream, name, types);
            }

            case ImportSource.Idx:
            {
                var (images, length) = await ImportSource.OpenAsync(store, source.Path, source.Artifact, cancellationToken);
                Stream? labels = null;
                long? labelsLength = 0;
                if (source.LabelsPath is not null || source.LabelsArtifact is not null)
                {
                    (labels, labelsLength) = await ImportSource.OpenAsync(store, source.LabelsPath, source.LabelsArtifact, cancellationToken);
                }

                progress.TotalBytes = length + labelsLength; // the reader counts bytes of both files
                return new IdxDatasetReader(images, labels, name, new IdxReaderOptions { LabelsSourceName = source.LabelsPath ?? source.LabelsArtifact });
            }

            default:
            {
                var images = new ImageFolderReaderOptions
                {
                    Width = settings.ImageWidth!.Value,
                    Height = settings.ImageHeight!.Value,
                    Channels = settings.ImageChannels ?? 1,
                    BadFiles = policy,
                };
                return source.Path is { } folder && Directory.Exists(folder)
                    ? new ImageFolderDatasetReader(folder, images)
                    : await OpenArchiveAsync(source, images, progress, cancellationToken);
            }
        }
    }

    /// <summary>Reports progress in bytes of the source itself, compressed when it is gzip, so it compares with the source's length.</summary>
    private sealed class SourceCountingReader(IDatasetReader inner, SourceStream source) : IDatasetReader
    {
        public DatasetSchema Schema => inner.Schema;

        public long BytesRead => source.SourceBytesRead;

        public long RowsRead => inner.RowsRead;

        public ColumnBatch? ReadBatch(int maxRows) => inner.ReadBatch(maxRows);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>Unpacks an archive of class folders into a temporary folder that the reader deletes when disposed.</summary>
    private async Task<IDatasetReader> OpenArchiveAsync(DatasetSource source, ImageFolderReaderOptions images, OperationProgress progress, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("orleansml-images-").FullName;
        try
        {
            await using var archive = await ImportSource.OpenSeekableAsync(store, source.Path, source.Artifact, cancellationToken);
            progress.TotalBytes = archive.Length;
            var folder = await ImageArchive.ExtractAsync(archive, Describe(source), root, options.Value.MaxArchiveBytes, options.Value.MaxArchiveFiles, cancellationToken);
            return new ImageFolderDatasetReader(folder, images, ownedFolder: root);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>The lineage step of an image import: how its pixels were made, so models trained on them can take image files.</summary>
    private static TransformStep DecodeStep(ImportOptions options) => new(DecodeImages, Column: ImageFolderDatasetReader.PixelsColumn, Args: new Dictionary<string, string>
    {
        ["width"] = options.ImageWidth!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["height"] = options.ImageHeight!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["channels"] = (options.ImageChannels ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>The op of an image import's lineage step.</summary>
    public const string DecodeImages = "decode_images";

    private static Dictionary<string, ColumnType>? ColumnTypes(ImportOptions options)
    {
        if (options.ColumnTypes is null)
        {
            return null;
        }

        var types = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (column, type) in options.ColumnTypes)
        {
            try
            {
                types[column] = SchemaJson.ParseType(type);
            }
            catch (SchemaException e)
            {
                throw FieldError.Invalid($"options.columnTypes['{column}']: {e.Message}", "options.columnTypes");
            }
        }

        return types;
    }

    private static string Describe(DatasetSource source) => source.Path ?? source.Artifact ?? "source";

    [LoggerMessage(Level = LogLevel.Information, Message = "Importing dataset {Dataset} v{Version} from {Source}")]
    private static partial void LogImporting(ILogger logger, string dataset, int version, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported dataset {Dataset} v{Version}: {Rows} rows in {Partitions} partitions")]
    private static partial void LogImported(ILogger logger, string dataset, int version, long rows, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of dataset {Dataset} v{Version} failed: {Reason}")]
    private static partial void LogImportFailed(ILogger logger, string dataset, int version, string reason);
}
