using System.Globalization;
using System.Text.Json;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Backups;

/// <summary>
/// <c>backup.json</c>, written last: a backup without it is incomplete and is never restored. Beside it
/// <c>files/</c> holds the artifacts under their own paths and <c>state/</c> each grain's state
/// (<see cref="StatePath"/>).
/// </summary>
/// <param name="Runs">Run grain keys, <c>experiment/00003</c>.</param>
/// <param name="Changed">Resources that kept changing while the backup ran.</param>
public sealed record BackupManifest(
    string Format,
    int FormatVersion,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<string> Experiments,
    IReadOnlyList<string> Runs,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Endpoints,
    IReadOnlyList<string> Workspaces,
    long Files,
    long Bytes,
    IReadOnlyList<string> Changed)
{
    public const string FileName = "backup.json";
    public const string FormatName = "orleansml-backup";
    public const string FilesFolder = "files/";
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where a grain's state lies: <c>state/{kind}/{key}.bin</c>, e.g. <c>state/runs/sweep/00003.bin</c>.</summary>
    public static string StatePath(string kind, string key) => string.Create(CultureInfo.InvariantCulture, $"state/{kind}/{key}.bin");

    public async Task WriteAsync(IArtifactStore target, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(this, Json));
        await target.WriteAsync(FileName, content, cancellationToken: cancellationToken);
    }

    /// <summary>The manifest, or null when there is none.</summary>
    /// <exception cref="ArgumentException">It is not a backup this version can read.</exception>
    public static async Task<BackupManifest?> ReadAsync(IArtifactStore source, CancellationToken cancellationToken)
    {
        if (await source.GetInfoAsync(FileName, cancellationToken) is null)
        {
            return null;
        }

        await using var content = await source.OpenReadAsync(FileName, cancellationToken);
        BackupManifest? manifest;
        try
        {
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(content, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw FieldError.Invalid($"{FileName} is not a backup manifest: {e.Message}", "path", e);
        }

        return manifest is { Format: FormatName, FormatVersion: >= 1 and <= CurrentFormatVersion }
            ? manifest
            : throw FieldError.Invalid($"{FileName} is not an OrleansMl backup of a format this version reads (format {manifest?.Format}, version {manifest?.FormatVersion}).", "path");
    }
}
