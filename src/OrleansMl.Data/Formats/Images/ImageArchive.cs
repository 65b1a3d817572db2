using System.Formats.Tar;
using System.IO.Compression;

namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// Unpacks an uploaded zip or tar (optionally gzip-compressed) of class folders into a new temporary
/// folder for <see cref="ImageFolderDatasetReader"/>. Hostile archives are refused, never followed:
/// an entry that is absolute or climbs out with "..", links and devices are errors or skipped, and
/// unpacking stops past a byte and a file limit, so a small bomb cannot fill the disk. A lone top
/// folder (icons/actions/x.png) is stepped into; macOS "__MACOSX" metadata is left out.
/// </summary>
public static class ImageArchive
{
    public static bool IsArchive(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith(".zip", StringComparison.Ordinal) || lower.EndsWith(".tar", StringComparison.Ordinal)
            || lower.EndsWith(".tar.gz", StringComparison.Ordinal) || lower.EndsWith(".tgz", StringComparison.Ordinal);
    }

    /// <param name="archive">The archive; a zip must be seekable.</param>
    /// <param name="name">Its file name (the extension tells zip from tar) and the source in messages.</param>
    /// <returns>The folder whose sub-folders are the labels; the caller deletes <paramref name="root"/> when done.</returns>
    /// <exception cref="DataFormatException">The archive is damaged, hostile or too large.</exception>
    public static async Task<string> ExtractAsync(Stream archive, string name, string root, long maxBytes, int maxFiles, CancellationToken cancellationToken)
    {
        var budget = new Budget(name, maxBytes, maxFiles);
        try
        {
            if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
                foreach (var entry in zip.Entries)
                {
                    if (Target(root, entry.FullName, name) is { } path && !entry.FullName.EndsWith('/'))
                    {
                        await using var content = entry.Open();
                        await budget.CopyAsync(content, path, cancellationToken);
                    }
                }
            }
            else
            {
                var tar = name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? archive : new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
                await using var reader = new TarReader(tar, leaveOpen: true);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } content
                        && Target(root, entry.Name, name) is { } path)
                    {
                        await budget.CopyAsync(content, path, cancellationToken);
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DataFormatException(name, $"the archive is damaged or not a {(name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? "zip" : "tar")} file: {e.Message}", inner: e);
        }

        // Step into a lone top folder: icons.zip often holds icons/{label}/... .
        var folder = root;
        while (Directory.GetFiles(folder).Length == 0 && Directory.GetDirectories(folder) is [var only] && Directory.GetDirectories(only).Length > 0)
        {
            folder = only;
        }

        return folder;
    }

    /// <summary>Where an entry goes under <paramref name="root"/>; null for entries left out; an error for one that would leave it.</summary>
    private static string? Target(string root, string entry, string archive)
    {
        var relative = entry.Replace('\\', '/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        if (relative.StartsWith('/') || relative.Contains(':', StringComparison.Ordinal) || relative.Split('/').Any(s => s == ".."))
        {
            throw new DataFormatException(archive, $"the archive entry '{entry}' points outside the archive's folder; the archive is refused.");
        }

        if (relative.Length == 0 || relative.StartsWith("__MACOSX/", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(root, relative));
        return path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new DataFormatException(archive, $"the archive entry '{entry}' points outside the archive's folder; the archive is refused.");
    }

    private sealed class Budget(string archive, long maxBytes, int maxFiles)
    {
        private long _bytes;
        private int _files;

        public async Task CopyAsync(Stream content, string path, CancellationToken cancellationToken)
        {
            if (++_files > maxFiles)
            {
                throw new DataFormatException(archive, $"the archive holds more than {maxFiles} files.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                _bytes += read;
                if (_bytes > maxBytes)
                {
                    throw new DataFormatException(archive, $"the archive unpacks to more than {maxBytes} bytes.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
    }
}
