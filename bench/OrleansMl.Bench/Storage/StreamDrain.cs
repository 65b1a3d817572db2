namespace OrleansMl.Bench.Storage;

/// <summary>Reads a stream to its end into a reused buffer, counting the bytes.</summary>
internal static class StreamDrain
{
    public static async Task<long> DrainAsync(Stream stream, byte[] buffer)
    {
        var total = 0L;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
