using System.Buffers.Binary;

namespace OrleansMl.Data.Tests.Formats.Images;

/// <summary>A minimal encoder of 24-bit uncompressed BMP files for tests.</summary>
internal static class BmpWriter
{
    /// <param name="rgb">Row-major RGB samples, top row first.</param>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var stride = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (stride * height)];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), stride * height);
        for (var y = 0; y < height; y++)
        {
            // Rows are stored bottom-up, pixels as B, G, R.
            var row = bmp.AsSpan(54 + ((height - 1 - y) * stride));
            for (var x = 0; x < width; x++)
            {
                var source = rgb.Slice(((y * width) + x) * 3, 3);
                row[3 * x] = source[2];
                row[(3 * x) + 1] = source[1];
                row[(3 * x) + 2] = source[0];
            }
        }

        return bmp;
    }
}
