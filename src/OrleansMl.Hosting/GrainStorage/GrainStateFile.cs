using System.Security.Cryptography;
using System.Text.Json;

namespace OrleansMl.Hosting.GrainStorage;

/// <summary>The on-disk form: a JSON header line, then the payload.</summary>
internal static class GrainStateFile
{
    public const int FormatVersion = 1;

    public static async Task<(string ETag, BinaryData Payload)?> ReadAsync(string path)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            throw new GrainStateCorruptException(path, $"it has no header line (the file is {bytes.Length} bytes long)");
        }

        GrainStateFileHeader header;
        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(0, newline), GrainStateJsonContext.Default.GrainStateFileHeader)
                ?? throw new JsonException("the header is null");
        }
        catch (JsonException e)
        {
            throw new GrainStateCorruptException(path, "its header line is not valid JSON", e);
        }

        if (header.Format != FormatVersion || string.IsNullOrEmpty(header.ETag) || header.Sha256 is null)
        {
            throw new GrainStateCorruptException(path, $"its header has format {header.Format} or lacks the ETag or hash (expected format {FormatVersion})");
        }

        var payload = bytes.AsMemory(newline + 1);
        if (payload.Length != header.Length)
        {
            throw new GrainStateCorruptException(path, $"the header announces {header.Length} payload bytes but {payload.Length} follow (truncated or appended to)");
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(payload.Span)), header.Sha256, StringComparison.Ordinal))
        {
            throw new GrainStateCorruptException(path, "the payload's SHA-256 does not match the header");
        }

        return (header.ETag, BinaryData.FromBytes(payload));
    }

    public static async Task WriteAsync(string path, string etag, BinaryData payload)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var header = new GrainStateFileHeader(FormatVersion, etag, payload.Length, Convert.ToHexStringLower(SHA256.HashData(payload.ToMemory().Span)));
        var tempPath = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            await using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, header, GrainStateJsonContext.Default.GrainStateFileHeader).ConfigureAwait(false);
                stream.WriteByte((byte)'\n');
                await stream.WriteAsync(payload.ToMemory()).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, path, overwrite: true);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }
}

internal sealed record GrainStateFileHeader(int Format, string ETag, long Length, string Sha256);
