using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Backups;

/// <summary>
/// The <c>OrleansMl:Backup</c> section. A backup folder must lie under <see cref="Roots"/> or the
/// data directory's <c>backups</c> folder, as imports read only under theirs: an admin key names
/// folders of the silo's machine, and must not write over its other files.
/// </summary>
public sealed class BackupOptions
{
    public const string SectionName = "OrleansMl:Backup";

    /// <summary>Folders backups may be written to and restored from. Default: none besides the data directory's <c>backups</c>.</summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>The data directory's <c>backups</c> folder, always allowed (set by the host).</summary>
    public string? DefaultRoot { get; set; }

    /// <summary>Opens a blob container of the platform's storage account by name; set by the host when storage is Azure, null otherwise.</summary>
    public Func<string, IArtifactStore>? OpenContainer { get; set; }

    /// <summary>The allowed folders, for error messages.</summary>
    public string Describe() => string.Join(", ", Roots.Append(DefaultRoot).OfType<string>());
}
