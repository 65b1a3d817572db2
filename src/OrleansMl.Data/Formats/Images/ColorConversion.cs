using System.Numerics.Tensors;

namespace OrleansMl.Data.Formats.Images;

/// <summary>Turns decoded 8-bit pixels (gray, gray+alpha, RGB or RGBA) into 1 or 3 float channels.</summary>
internal static class ColorConversion
{
    /// <summary>
    /// Writes <paramref name="channels"/> floats per pixel: 1 = luminance 0.299 R + 0.587 G + 0.114 B,
    /// 3 = R, G, B (a gray source repeated). Alpha is dropped.
    /// </summary>
    public static void ToChannels(ReadOnlySpan<byte> pixels, int components, int channels, Span<float> destination)
    {
        var count = pixels.Length / components;
        switch (components, channels)
        {
            case (1, 1):
                TensorPrimitives.ConvertTruncating<byte, float>(pixels, destination);
                break;
            case (2, 1):
                for (var i = 0; i < count; i++)
                {
                    destination[i] = pixels[2 * i];
                }

                break;
            case (3 or 4, 1):
                for (var i = 0; i < count; i++)
                {
                    var p = pixels.Slice(i * components, 3);
                    destination[i] = (float)((0.299 * p[0]) + (0.587 * p[1]) + (0.114 * p[2]));
                }

                break;
            case (1 or 2, 3):
                for (var i = 0; i < count; i++)
                {
                    float gray = pixels[i * components];
                    destination[3 * i] = gray;
                    destination[(3 * i) + 1] = gray;
                    destination[(3 * i) + 2] = gray;
                }

                break;
            case (3, 3):
                TensorPrimitives.ConvertTruncating<byte, float>(pixels, destination);
                break;
            case (4, 3):
                for (var i = 0; i < count; i++)
                {
                    destination[3 * i] = pixels[4 * i];
                    destination[(3 * i) + 1] = pixels[(4 * i) + 1];
                    destination[(3 * i) + 2] = pixels[(4 * i) + 2];
                }

                break;
            default:
                throw new ArgumentException($"Cannot convert {components} components to {channels} channels.");
        }
    }
}
