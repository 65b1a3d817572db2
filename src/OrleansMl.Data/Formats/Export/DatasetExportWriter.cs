using System.Buffers;
using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Csv;
using OrleansMl.Data.Formats.Parquet;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Export;

/// <summary>
/// Writes a dataset's batches, in order, as one file of the chosen format to a stream that need not
/// seek (an HTTP response): CSV with a header, JSON lines (one object a row), or Parquet (one row
/// group a batch, the dataset schema in its metadata). Nothing is held beyond the batch being written
/// and a 64 KiB buffer.
/// </summary>
public sealed class DatasetExportWriter : IAsyncDisposable
{
    private readonly CsvBatchWriter? _csv;
    private readonly ParquetPartitionWriter? _parquet;
    private readonly Stream _output;
    private readonly Utf8JsonWriter? _json;
    private readonly ArrayBufferWriter<byte> _lines = new();

    private DatasetExportWriter(Stream output, CsvBatchWriter? csv, ParquetPartitionWriter? parquet, Utf8JsonWriter? json)
    {
        _output = output;
        _csv = csv;
        _parquet = parquet;
        _json = json;
    }

    /// <summary>The file-name extension of a format.</summary>
    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.JsonLines => "jsonl",
        _ => "parquet",
    };

    /// <summary>The media type of a format.</summary>
    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.JsonLines => "application/x-ndjson",
        _ => "application/vnd.apache.parquet",
    };

    /// <summary>csv, jsonl (or json, ndjson), parquet; null for anything else.</summary>
    public static ExportFormat? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "csv" => ExportFormat.Csv,
        "jsonl" or "ndjson" or "json" => ExportFormat.JsonLines,
        "parquet" => ExportFormat.Parquet,
        _ => null,
    };

    public static async Task<DatasetExportWriter> CreateAsync(Stream output, DatasetSchema schema, ExportFormat format, CancellationToken cancellationToken = default)
    {
        return format switch
        {
            ExportFormat.Csv => new DatasetExportWriter(output, new CsvBatchWriter(output), null, null),
            ExportFormat.JsonLines => new DatasetExportWriter(output, null, null, new Utf8JsonWriter(Stream.Null)),
            _ => new DatasetExportWriter(output, null, await ParquetPartitionWriter.CreateAsync(output, schema, cancellationToken), null), // forward only: a response body will do
        };
    }

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken = default)
    {
        if (_csv is not null)
        {
            await _csv.WriteAsync(batch, cancellationToken);
        }
        else if (_parquet is not null)
        {
            await _parquet.WriteAsync(batch, cancellationToken);
        }
        else
        {
            for (var row = 0; row < batch.RowCount; row++)
            {
                // One root value a line: the writer starts afresh on the buffer for every row.
                _json!.Reset(_lines);
                RowJsonWriter.WriteRow(_json, batch, row);
                _json.Flush();
                _lines.GetSpan(1)[0] = (byte)'\n';
                _lines.Advance(1);
                if (_lines.WrittenCount >= 64 * 1024)
                {
                    await _output.WriteAsync(_lines.WrittenMemory, cancellationToken);
                    _lines.ResetWrittenCount();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_csv is not null)
        {
            await _csv.DisposeAsync();
        }

        if (_parquet is not null)
        {
            await _parquet.DisposeAsync();
        }

        if (_json is not null)
        {
            await _output.WriteAsync(_lines.WrittenMemory);
            await _json.DisposeAsync();
        }

        await _output.FlushAsync();
    }
}
