using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// Reads a folder of images whose sub-folders name the labels (<c>root/cat/001.png</c>,
/// <c>root/dog/x.jpg</c>), decoding PNG, JPEG, BMP and GIF files and resizing each to the configured
/// size. Rows have <c>label</c> (categorical: the sub-folder name), <c>path</c> (relative to the root,
/// forward slashes) and <c>pixels</c>, a vector of width * height * channels values 0..255, row-major
/// and channel-interleaved. Files are read in ordinal order of sub-folder, then relative path; files
/// and folders whose names start with '.' are ignored, and files in nested folders take the label of
/// their top-level sub-folder.
/// </summary>
public sealed class ImageFolderDatasetReader : IDatasetReader
{
    /// <summary>The label column: the name of the image's sub-folder.</summary>
    public const string LabelColumn = "label";

    /// <summary>The path column: the image's path relative to the root, with forward slashes.</summary>
    public const string PathColumn = "path";

    /// <summary>The pixel vector column.</summary>
    public const string PixelsColumn = "pixels";

    private readonly ImageFolderReaderOptions _options;
    private readonly ImageFile[] _files;
    private readonly List<SkippedImage> _skipped = [];
    private readonly ImageDecoder _decoder;
    private readonly float[] _pixels;
    private readonly string? _ownedRoot;
    private int _next;

    /// <summary>Lists the images under <paramref name="root"/>; decoding happens as batches are read.</summary>
    /// <param name="ownedFolder">A folder deleted on <see cref="Dispose"/>: where an archive was unpacked for the import.</param>
    /// <exception cref="DataFormatException">
    /// The folder is missing or empty, has no sub-folders, or has files directly in it.
    /// </exception>
    public ImageFolderDatasetReader(string root, ImageFolderReaderOptions options, string? ownedFolder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownedRoot = ownedFolder;
        _decoder = new ImageDecoder(options.Width, options.Height, options.Channels, options.MaxSourcePixels);
        _pixels = new float[_decoder.Length];
        (_files, Classes) = ListFiles(root);
        Schema = new DatasetSchema(
        [
            new ColumnSchema(LabelColumn, ColumnType.Categorical),
            new ColumnSchema(PathColumn, ColumnType.String),
            new ColumnSchema(PixelsColumn, ColumnType.Vector, options.Width * options.Height * options.Channels),
        ]);
    }

    public DatasetSchema Schema { get; }

    /// <summary>The labels: the names of the sub-folders, in ordinal order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The number of files found, bad ones included.</summary>
    public int FileCount => _files.Length;

    /// <summary>The files left out so far under <see cref="BadRecordPolicy.Skip"/>, with the reasons.</summary>
    public IReadOnlyList<SkippedImage> SkippedFiles => _skipped;

    /// <summary>The sizes of the files read so far.</summary>
    public long BytesRead { get; private set; }

    public long RowsRead { get; private set; }

    public ColumnBatch? ReadBatch(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var capacity = Math.Min(maxRows, _files.Length - _next);
        var labels = new StringColumnBuilder(Schema[0], capacity);
        var paths = new StringColumnBuilder(Schema[1], capacity);
        var pixels = new VectorColumnBuilder(Schema[2], capacity);
        while (labels.Count < maxRows && _next < _files.Length)
        {
            var file = _files[_next++];
            if (!TryDecode(file))
            {
                continue;
            }

            _pixels.CopyTo(pixels.Reserve());
            labels.Append(file.Label);
            paths.Append(file.RelativePath);
        }

        if (labels.Count == 0)
        {
            return null;
        }

        RowsRead += labels.Count;
        return new ColumnBatch(Schema, [labels.Build(), paths.Build(), pixels.Build()]);
    }

    public void Dispose()
    {
        if (_ownedRoot is not null && Directory.Exists(_ownedRoot))
        {
            Directory.Delete(_ownedRoot, recursive: true);
        }
    }

    /// <summary>Reads and decodes a file into <see cref="_pixels"/>; false when it was skipped as bad.</summary>
    private bool TryDecode(ImageFile file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Reject(file, $"the file could not be read: {e.Message}", e);
        }

        BytesRead += bytes.Length;
        return _decoder.Decode(bytes, _pixels) is not { } reason || Reject(file, reason, null);
    }

    private bool Reject(ImageFile file, string reason, Exception? error)
    {
        if (_options.BadFiles == BadRecordPolicy.Fail)
        {
            throw new DataFormatException(file.FullPath, reason, inner: error);
        }

        _skipped.Add(new SkippedImage(file.RelativePath, reason));
        return false;
    }

    private static (ImageFile[] Files, string[] Classes) ListFiles(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DataFormatException(root, "the image folder does not exist.");
        }

        var visible = new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        var strays = Directory.GetFiles(root, "*", visible);
        if (strays.Length > 0)
        {
            Array.Sort(strays, StringComparer.Ordinal);
            throw new DataFormatException(
                root,
                $"{strays.Length} file(s) lie directly in the folder (first: '{Path.GetFileName(strays[0])}'); images must be in sub-folders named by label, e.g. cat/001.png and dog/002.jpg.");
        }

        var classes = Directory.GetDirectories(root, "*", visible).Select(Path.GetFileName).OfType<string>().ToArray();
        if (classes.Length == 0)
        {
            throw new DataFormatException(root, "the folder has no sub-folders; images must be in sub-folders named by label, e.g. cat/001.png and dog/002.jpg.");
        }

        Array.Sort(classes, StringComparer.Ordinal);
        var recursive = new EnumerationOptions { AttributesToSkip = visible.AttributesToSkip, RecurseSubdirectories = true };
        var files = new List<ImageFile>();
        foreach (var label in classes)
        {
            var paths = Directory.GetFiles(Path.Combine(root, label), "*", recursive)
                .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
                .ToArray();
            Array.Sort(paths, StringComparer.Ordinal);
            files.AddRange(paths.Select(p => new ImageFile(label, p, Path.Combine(root, p))));
        }

        if (files.Count == 0)
        {
            throw new DataFormatException(root, $"the sub-folders ({string.Join(", ", classes)}) hold no files; expected images in them.");
        }

        return ([.. files], classes);
    }

    private sealed record ImageFile(string Label, string RelativePath, string FullPath);
}
