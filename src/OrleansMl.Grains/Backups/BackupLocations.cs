using System.Text.RegularExpressions;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Backups;

/// <summary>Checks a <see cref="BackupLocation"/> and opens it as a store; messages name the field.</summary>
public static partial class BackupLocations
{
    /// <exception cref="ArgumentException">The location is invalid.</exception>
    public static IArtifactStore Open(BackupLocation? location, BackupOptions options)
    {
        if (location is null || (location.Path is null) == (location.Container is null))
        {
            throw FieldError.Invalid("Give exactly one of 'path' (a folder on the server) and 'container' (a blob container of the platform's storage account).", "path");
        }

        if (location.Path is { } path)
        {
            if (!Path.IsPathFullyQualified(path))
            {
                throw FieldError.Invalid($"path '{path}' must be an absolute folder path on the server.", "path");
            }

            if (!ServerFolders.Allows(path, options.Roots.Append(options.DefaultRoot)))
            {
                throw FieldError.Invalid($"path '{path}' is outside the folders backups may use ({options.Describe()}); add its folder to OrleansMl:Backup:Roots.", "path");
            }

            if (File.Exists(path))
            {
                throw FieldError.Invalid($"path '{path}' is a file; a backup is a folder.", "path");
            }

            return new FileSystemArtifactStore(path);
        }

        var container = location.Container!;
        if (!ContainerName().IsMatch(container) || container.Contains("--", StringComparison.Ordinal))
        {
            throw FieldError.Invalid($"container '{container}' is not a blob container name: 3 to 63 lowercase letters, digits and single hyphens, starting with a letter or digit.", "container");
        }

        return options.OpenContainer is { } open
            ? open(container)
            : throw FieldError.Invalid("A container needs Azure storage (OrleansMl:Storage:Mode Azure); this platform stores files locally, so give a folder (path) instead.", "container");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
