using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Storage.Tests.Artifacts;

internal static class StoreHelpers
{
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static async Task<byte[]> ReadAllAsync(IArtifactStore store, string path)
    {
        await using var stream = await store.OpenReadAsync(path);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static async Task<List<ArtifactInfo>> ListAsync(IArtifactStore store, string prefix)
    {
        var found = new List<ArtifactInfo>();
        await foreach (var info in store.ListAsync(prefix))
        {
            found.Add(info);
        }

        return found;
    }
}
