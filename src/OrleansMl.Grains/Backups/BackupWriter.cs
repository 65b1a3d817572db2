using System.Collections.Concurrent;
using Orleans.Serialization;
using OrleansMl.Catalog;
using OrleansMl.Experiments;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Backups;

/// <summary>
/// Writes a snapshot while the platform runs. Every resource's state is read, then every artifact
/// copied, then every state read again: a resource whose state changed meanwhile has its files copied
/// again after the new state (files are written before the state that lists them and deleted only
/// after the state that drops them, so files copied after a state hold everything it lists), up to
/// <see cref="Rounds"/> times. States go to <c>state/</c>, the manifest last.
/// </summary>
internal sealed class BackupWriter(IGrainFactory grains, Serializer serializer, IArtifactStore store, IArtifactStore target, BackupProgress progress, TimeProvider time)
{
    public const int Rounds = 3;

    /// <summary>Artifacts copied at once: the copies wait on storage round trips, not on the CPU.</summary>
    public const int ParallelCopies = 8;

    /// <summary>Copied artifacts: source path to the source's ETag when copied.</summary>
    private readonly ConcurrentDictionary<string, string> _copied = new(StringComparer.Ordinal);

    public async Task RunAsync(string user, CancellationToken cancellationToken)
    {
        var resources = await BackupResource.ListAsync(grains);
        var states = new Dictionary<BackupResource, List<(string Kind, string Key, byte[] State)>>();
        foreach (var resource in resources)
        {
            states[resource] = await ExportAsync(resource);
        }

        await CopyAsync("", cancellationToken);
        List<BackupResource> changed;
        var round = 0;
        do
        {
            changed = [];
            foreach (var resource in resources)
            {
                var again = await ExportAsync(resource);
                if (!Same(again, states[resource]))
                {
                    states[resource] = again;
                    changed.Add(resource);
                }
            }

            foreach (var prefix in changed.Select(r => r.Prefix).OfType<string>())
            {
                await CopyAsync(prefix, cancellationToken);
            }
        }
        while (changed.Count > 0 && ++round < Rounds);

        progress.Changed = [.. changed.Select(r => r.ToString())];
        foreach (var (resource, grainStates) in states)
        {
            foreach (var (kind, key, state) in grainStates)
            {
                using var content = new MemoryStream(state, writable: false);
                await target.WriteAsync(BackupManifest.StatePath(kind, key), content, cancellationToken: cancellationToken);
            }

            progress.ResourceDone();
        }

        string[] Names(string kind) => [.. states.Where(s => s.Key.Kind == kind && s.Value.Count > 0).Select(s => s.Key.Name)];
        await new BackupManifest(
            BackupManifest.FormatName, BackupManifest.CurrentFormatVersion, time.GetUtcNow(), user,
            Names(ICatalogGrain.Datasets), Names(ICatalogGrain.Experiments),
            [.. states.Values.SelectMany(s => s).Where(s => s.Kind == RunsKind).Select(s => s.Key)],
            Names(ICatalogGrain.Models), Names(ICatalogGrain.Endpoints), Names(ICatalogGrain.Workspaces),
            progress.Files, progress.Bytes, progress.Changed).WriteAsync(target, cancellationToken);
    }

    /// <summary>The kind under which run states are kept: they belong to their experiment.</summary>
    public const string RunsKind = "runs";

    /// <summary>The resource's grain states (an experiment's with its runs'); empty when it was deleted meanwhile.</summary>
    private async Task<List<(string Kind, string Key, byte[] State)>> ExportAsync(BackupResource resource)
    {
        var states = new List<(string, string, byte[])>();
        if (await resource.Grain(grains).ExportStateAsync() is not { } state)
        {
            return states;
        }

        states.Add((resource.Kind, resource.Name, state));
        if (resource.Kind == ICatalogGrain.Experiments)
        {
            foreach (var run in serializer.Deserialize<ExperimentState>(state)!.Runs)
            {
                var key = IRunGrain.KeyOf(resource.Name, run.Index);
                if (await grains.GetGrain<IRunGrain>(key).ExportStateAsync() is { } runState)
                {
                    states.Add((RunsKind, key, runState));
                }
            }
        }

        return states;
    }

    private static bool Same(List<(string Kind, string Key, byte[] State)> a, List<(string Kind, string Key, byte[] State)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.State.AsSpan().SequenceEqual(p.Second.State));

    /// <summary>Brings <c>files/{prefix}…</c> in line with the store: copies what is new or changed, removes what is gone.</summary>
    private async Task CopyAsync(string prefix, CancellationToken cancellationToken)
    {
        var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var copying = new ParallelOptions { MaxDegreeOfParallelism = ParallelCopies, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(store.ListAsync(prefix, cancellationToken), copying, async (file, ct) =>
        {
            seen[file.Path] = true;
            if (_copied.TryGetValue(file.Path, out var etag) && etag == file.ETag)
            {
                return;
            }

            try
            {
                await using var content = await store.OpenReadAsync(file.Path, ct);
                var written = await target.WriteAsync(BackupManifest.FilesFolder + file.Path, content, cancellationToken: ct);
                _copied[file.Path] = file.ETag;
                progress.Copied(written.Length);
            }
            catch (ArtifactNotFoundException)
            {
                seen.TryRemove(file.Path, out _); // deleted since it was listed
            }
        });

        foreach (var gone in _copied.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && !seen.ContainsKey(p)).ToList())
        {
            _copied.TryRemove(gone, out _);
            await target.DeleteAsync(BackupManifest.FilesFolder + gone, cancellationToken);
        }
    }
}
