using OrleansMl.Catalog;
using OrleansMl.Experiments;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Backups;

/// <summary>
/// Brings a backup into an empty platform: the artifacts first, then each grain's state (runs before
/// their experiments), then the catalogs that list the resources, so that nothing is listed before
/// all it refers to is in place. Last, every restored grain is activated, which recovers it as after
/// a restart. Repeating a restore that stopped before the catalogs were written continues it: a grain
/// already holding the same state is left as it is.
/// </summary>
internal sealed class BackupReader(IGrainFactory grains, IArtifactStore store, IArtifactStore source, BackupManifest manifest, BackupProgress progress)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var copying = new ParallelOptions { MaxDegreeOfParallelism = BackupWriter.ParallelCopies, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(source.ListAsync(BackupManifest.FilesFolder, cancellationToken), copying, async (file, ct) =>
        {
            var path = file.Path[BackupManifest.FilesFolder.Length..];
            if (Restored(path)) // else a resource created while the backup ran, and not in it
            {
                await using var content = await source.OpenReadAsync(file.Path, ct);
                var written = await store.WriteAsync(path, content, cancellationToken: ct);
                progress.Copied(written.Length);
            }
        });

        var order = new (string Kind, IReadOnlyList<string> Keys)[]
        {
            (BackupWriter.RunsKind, manifest.Runs),
            (ICatalogGrain.Experiments, manifest.Experiments),
            (ICatalogGrain.Datasets, manifest.Datasets),
            (ICatalogGrain.Models, manifest.Models),
            (ICatalogGrain.Endpoints, manifest.Endpoints),
            (ICatalogGrain.Workspaces, manifest.Workspaces),
        };
        foreach (var (kind, keys) in order)
        {
            foreach (var key in keys)
            {
                await Grain(kind, key).RestoreStateAsync(await ReadStateAsync(kind, key, cancellationToken));
                if (kind != BackupWriter.RunsKind)
                {
                    progress.ResourceDone();
                }
            }
        }

        foreach (var (kind, keys) in order.Where(o => o.Kind != BackupWriter.RunsKind))
        {
            foreach (var name in keys)
            {
                await grains.GetGrain<ICatalogGrain>(kind).AddAsync(name);
            }
        }

        foreach (var (kind, keys) in order)
        {
            foreach (var key in keys)
            {
                await Grain(kind, key).ExportStateAsync(); // activates it: an interrupted operation is recovered, a training run resumes
            }
        }
    }

    private IRestorableGrain Grain(string kind, string key) =>
        kind == BackupWriter.RunsKind ? grains.GetGrain<IRunGrain>(key) : new BackupResource(kind, key).Grain(grains);

    private async Task<byte[]> ReadStateAsync(string kind, string key, CancellationToken cancellationToken)
    {
        var path = BackupManifest.StatePath(kind, key);
        try
        {
            await using var content = await source.OpenReadAsync(path, cancellationToken);
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (ArtifactNotFoundException)
        {
            throw new InvalidOperationException($"The backup lists {kind} '{key}' but holds no {path}; it is damaged.");
        }
    }

    /// <summary>False for the files of a dataset, experiment, model or endpoint the backup does not hold.</summary>
    private bool Restored(string path)
    {
        var parts = path.Split('/', 3);
        if (parts.Length < 3)
        {
            return true;
        }

        var owners = parts[0] switch
        {
            "datasets" => manifest.Datasets,
            "runs" => manifest.Experiments,
            "models" => manifest.Models,
            "endpoints" => manifest.Endpoints,
            _ => null,
        };
        return owners is null || owners.Contains(parts[1], StringComparer.Ordinal);
    }
}
