using System.Buffers.Binary;
using System.IO.Compression;

namespace OrleansMl.Data.Tests.Formats.Images;

/// <summary>Builds IDX files in memory for tests.</summary>
internal static class IdxFiles
{
    public static byte[] Header(uint magic, params uint[] sizes)
    {
        var header = new byte[4 * (sizes.Length + 1)];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (var i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 * (i + 1)), sizes[i]);
        }

        return header;
    }

    /// <summary>An images file of <paramref name="count"/> images whose pixel p of image i is (7 i + p) mod 256.</summary>
    public static byte[] Images(int count, int rows, int columns) =>
        [.. Header(0x00000803, (uint)count, (uint)rows, (uint)columns), .. Pixels(count, rows * columns)];

    public static byte[] Pixels(int count, int recordSize)
    {
        var pixels = new byte[count * recordSize];
        for (var i = 0; i < count; i++)
        {
            for (var p = 0; p < recordSize; p++)
            {
                pixels[(i * recordSize) + p] = (byte)((7 * i) + p);
            }
        }

        return pixels;
    }

    public static byte[] Labels(params byte[] labels) => [.. Header(0x00000801, (uint)labels.Length), .. labels];

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
