namespace OrleansMl.Storage.Artifacts;

public static class ArtifactStoreExtensions
{
    /// <summary>Deletes every artifact under <paramref name="prefix"/> (listed first, then deleted one by one); returns how many.</summary>
    public static async Task<int> DeleteAllAsync(this IArtifactStore store, string prefix, CancellationToken cancellationToken = default)
    {
        var paths = new List<string>();
        await foreach (var file in store.ListAsync(prefix, cancellationToken))
        {
            paths.Add(file.Path);
        }

        foreach (var path in paths)
        {
            await store.DeleteAsync(path, cancellationToken);
        }

        return paths.Count;
    }
}
