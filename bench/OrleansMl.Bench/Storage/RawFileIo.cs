namespace OrleansMl.Bench.Storage;

/// <summary>The reference for the file store: <see cref="File.WriteAllBytesAsync(string, byte[], CancellationToken)"/> and an unbuffered <see cref="FileStream"/>.</summary>
internal sealed class RawFileIo(string directory) : IObjectIo
{
    public Task WriteAsync(string name, byte[] content) => File.WriteAllBytesAsync(Path.Combine(directory, name), content);

    public async Task<long> ReadAsync(string name, byte[] buffer)
    {
        await using var stream = new FileStream(Path.Combine(directory, name), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await StreamDrain.DrainAsync(stream, buffer);
    }
}
