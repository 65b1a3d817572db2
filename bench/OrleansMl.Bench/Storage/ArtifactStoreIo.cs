using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Bench.Storage;

/// <summary>Objects through an <see cref="IArtifactStore"/>, as the platform stores artifacts.</summary>
internal sealed class ArtifactStoreIo(IArtifactStore store) : IObjectIo
{
    public async Task WriteAsync(string name, byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        await store.WriteAsync($"bench/{name}", stream);
    }

    public async Task<long> ReadAsync(string name, byte[] buffer)
    {
        await using var stream = await store.OpenReadAsync($"bench/{name}");
        return await StreamDrain.DrainAsync(stream, buffer);
    }
}
