using System.Runtime.CompilerServices;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Storage.FileSystem;

/// <summary>
/// Artifacts as files under a root directory (the embedded default). A write streams into a temp
/// file in a directory beside the root and renames it over the target, so readers never see a partial
/// file. The ETag is the file's last-write time and length; writes to one path are serialised in
/// this process and stamp strictly increasing times, so two writes never share an ETag. One root
/// directory belongs to one process.
/// </summary>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    private static readonly PathLocks Locks = new();
    private readonly string _root;
    private readonly string _tempDirectory;

    public FileSystemArtifactStore(string rootDirectory)
    {
        _root = Path.GetFullPath(rootDirectory);
        // Beside the root, not inside it, so that no artifact path can collide with a temp file.
        _tempDirectory = _root.TrimEnd(Path.DirectorySeparatorChar) + ".tmp";
        Directory.CreateDirectory(_tempDirectory);
    }

    public string RootDirectory => _root;

    /// <summary>Where writes stream before they are renamed into place; on the same file system as the root.</summary>
    public string TempDirectory => _tempDirectory;

    public async Task<ArtifactInfo> WriteAsync(string path, Stream content, ArtifactWriteCondition condition = default, CancellationToken cancellationToken = default)
    {
        var fullPath = FullPath(path);
        var tempPath = Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(temp, 1 << 16, cancellationToken).ConfigureAwait(false);
                await temp.FlushAsync(cancellationToken).ConfigureAwait(false);
                temp.Flush(flushToDisk: true);
            }

            using var held = await Locks.AcquireAsync(fullPath, cancellationToken).ConfigureAwait(false);
            var existing = new FileInfo(fullPath);
            CheckCondition(path, condition, existing.Exists ? ETagOf(existing) : null);
            var stamp = DateTime.UtcNow;
            if (existing.Exists && stamp <= existing.LastWriteTimeUtc)
            {
                stamp = existing.LastWriteTimeUtc.AddTicks(10);
            }

            File.SetLastWriteTimeUtc(tempPath, stamp);
            CheckFileCanGoAt(path, fullPath);
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            File.Move(tempPath, fullPath, overwrite: true);
            return InfoOf(path, new FileInfo(fullPath));
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fullPath = FullPath(path);
        try
        {
            // The open handle keeps this version readable even if a writer renames a new one over it.
            Stream stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || e is UnauthorizedAccessException && Directory.Exists(fullPath))
        {
            throw new ArtifactNotFoundException(path, e); // a folder of other artifacts is not one
        }
    }

    public Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(FullPath(path));
        return Task.FromResult(file.Exists ? InfoOf(path, file) : null);
    }

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactPath.ValidatePrefix(prefix);
        // Only the directory that holds the prefix's last segment needs walking.
        var lastSlash = prefix.LastIndexOf('/');
        var directory = lastSlash < 0 ? _root : Path.Combine(_root, prefix[..lastSlash]);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        var found = new List<ArtifactInfo>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(prefix, StringComparison.Ordinal))
            {
                found.Add(InfoOf(relative, file));
            }
        }

        found.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        foreach (var info in found)
        {
            yield return info;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = FullPath(path);
        using var held = await Locks.AcquireAsync(fullPath, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(fullPath))
        {
            return false;
        }

        File.Delete(fullPath);
        return true;
    }

    /// <summary>
    /// A file system cannot hold an artifact <c>a</c> beside <c>a/b</c> (blob storage can): the write that
    /// would need both is refused, naming the path, instead of failing with the file system's error.
    /// </summary>
    private void CheckFileCanGoAt(string path, string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"'{path}' is a folder of other artifacts here; choose another name.", nameof(path));
        }

        for (var folder = Path.GetDirectoryName(fullPath); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new ArgumentException($"'{Path.GetRelativePath(_root, folder).Replace(Path.DirectorySeparatorChar, '/')}' is an artifact here, so '{path}' cannot be one of its folder's; choose another name.", nameof(path));
            }
        }
    }

    private string FullPath(string path) =>
        Path.Combine(_root, ArtifactPath.Validate(path).Replace('/', Path.DirectorySeparatorChar));

    private static void CheckCondition(string path, ArtifactWriteCondition condition, string? currentETag)
    {
        var holds = condition.IfNotExists ? currentETag is null
            : condition.IfMatchETag is not { } expected || string.Equals(expected, currentETag, StringComparison.Ordinal);
        if (!holds)
        {
            throw new ArtifactConditionFailedException(path, condition);
        }
    }

    private static ArtifactInfo InfoOf(string path, FileInfo file) =>
        new(path, file.Length, ETagOf(file), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    private static string ETagOf(FileInfo file) => $"\"{file.LastWriteTimeUtc.Ticks:x}-{file.Length:x}\"";
}
