using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Reads the Parquet part files of one table, as Spark, DuckDB and pandas write them, one file after
/// the other: a folder (every <c>.parquet</c> file under it, in ordinal path order, leaving out the
/// files and folders whose names start with <c>_</c> or <c>.</c>, such as <c>_SUCCESS</c> and
/// checksum files) or a glob in the last path segment (<c>data/part-*.parquet</c>). Every file must
/// have the first one's columns and types; the first that does not is an error naming it and the column.
/// </summary>
public sealed class ParquetPartsReader : IDatasetReader
{
    private readonly IReadOnlyList<string> _files;
    private readonly long[] _sizes;
    private readonly IReadOnlyDictionary<string, ColumnType>? _columnTypes;
    private ParquetDatasetReader _current;
    private DatasetSchema? _schema;
    private bool _checked = true;
    private int _index;
    private long _bytesDone;

    private ParquetPartsReader(IReadOnlyList<string> files, ParquetDatasetReader first, IReadOnlyDictionary<string, ColumnType>? columnTypes)
    {
        _files = files;
        _current = first;
        _columnTypes = columnTypes;
        _sizes = [.. files.Select(f => new FileInfo(f).Length)];
        TotalBytes = _sizes.Sum();
    }

    /// <summary>The first file's columns (for a file whose vector lengths show only in its rows, known once its first batch is read).</summary>
    public DatasetSchema Schema => _schema ?? _current.Schema;

    /// <summary>The size of all the part files.</summary>
    public long TotalBytes { get; }

    public long BytesRead => _bytesDone + _current.BytesRead;

    public long RowsRead { get; private set; }

    /// <summary>The part files a folder or glob names, in the order they are read; empty when none.</summary>
    public static IReadOnlyList<string> Find(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path, "*.parquet", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('_') || p.StartsWith('.')))
                .Order(StringComparer.Ordinal)];
        }

        var folder = Path.GetDirectoryName(path);
        var pattern = Path.GetFileName(path);
        return IsGlob(path) && !string.IsNullOrEmpty(folder) && Directory.Exists(folder) && !IsGlob(folder)
            ? [.. Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>True when <paramref name="path"/> has <c>*</c> or <c>?</c>: a glob, not a file.</summary>
    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <exception cref="DataFormatException">No file, or the first is not Parquet.</exception>
    public static async Task<ParquetPartsReader> OpenAsync(IReadOnlyList<string> files, string source, IReadOnlyDictionary<string, ColumnType>? columnTypes = null, CancellationToken cancellationToken = default)
    {
        if (files.Count == 0)
        {
            throw new DataFormatException(source, "no .parquet file is there to import");
        }

        return new ParquetPartsReader(files, await OpenFileAsync(files[0], columnTypes, cancellationToken), columnTypes);
    }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        while (true)
        {
            if (_current.ReadBatch(maxRows) is { } batch)
            {
                if (_index == 0)
                {
                    _schema ??= _current.Schema;
                }
                else if (!_checked)
                {
                    Check();
                    _checked = true;
                }

                RowsRead += batch.RowCount;
                return batch;
            }

            if (_index + 1 >= _files.Count)
            {
                return null;
            }

            _bytesDone += _sizes[_index];
            _current.Dispose();
            _current = OpenFileAsync(_files[++_index], _columnTypes, CancellationToken.None).GetAwaiter().GetResult();
            _schema ??= Schema;
            _checked = false;
        }
    }

    /// <summary>The current file has the first one's columns, or the import stops naming the file and the column.</summary>
    private void Check()
    {
        var schema = _schema!;
        if (_current.Schema.Equals(schema))
        {
            return;
        }

        var mismatch = schema.Columns.Zip(_current.Schema.Columns).FirstOrDefault(p => p.First != p.Second);
        throw new DataFormatException(_files[_index], mismatch.First is null || schema.Count != _current.Schema.Count
            ? $"its columns ({_current.Schema}) are not those of {Path.GetFileName(_files[0])} ({schema}); every part file must have the same columns"
            : $"column '{mismatch.Second.Name}' is {mismatch.Second.Type.ToString().ToLowerInvariant()} where {Path.GetFileName(_files[0])} has '{mismatch.First.Name}' as {mismatch.First.Type.ToString().ToLowerInvariant()}; every part file must have the same columns");
    }

    public void Dispose() => _current.Dispose();

    private static async Task<ParquetDatasetReader> OpenFileAsync(string file, IReadOnlyDictionary<string, ColumnType>? columnTypes, CancellationToken cancellationToken) =>
        await ParquetDatasetReader.OpenAsync(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess), file, columnTypes, cancellationToken);
}
