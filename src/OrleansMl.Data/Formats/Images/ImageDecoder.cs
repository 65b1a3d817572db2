using StbImageSharp;

namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// Decodes one PNG, JPEG, BMP or GIF image and resizes it to a fixed size: the one code path of image
/// imports and of images sent to an endpoint, so a served image becomes exactly the pixels a trained
/// one did. Output: width * height * channels values 0..255, row-major, channel-interleaved
/// (1 channel: luminance; 3: RGB; alpha dropped). Not thread-safe: it reuses its buffers.
/// </summary>
public sealed class ImageDecoder(int width, int height, int channels, long maxSourcePixels = 64L << 20)
{
    private readonly ImageResampler _resampler = new();
    private float[] _channels = [];

    /// <summary>The length of a decoded image.</summary>
    public int Length => width * height * channels;

    /// <summary>Decodes <paramref name="bytes"/> into <paramref name="destination"/> (of <see cref="Length"/> values).</summary>
    /// <returns>Null on success, else why the bytes are not an image this decoder takes; <paramref name="destination"/> is then unchanged.</returns>
    public string? Decode(byte[] bytes, Span<float> destination)
    {
        ImageResult image;
        try
        {
            using var header = new MemoryStream(bytes, writable: false);
            if (ImageInfo.FromStream(header) is not { } info)
            {
                return "not a PNG, JPEG, BMP or GIF image, or its header is damaged.";
            }

            if ((long)info.Width * info.Height > maxSourcePixels)
            {
                return $"the image is {info.Width} x {info.Height} pixels, more than {nameof(ImageFolderReaderOptions.MaxSourcePixels)} ({maxSourcePixels}) allows.";
            }

            if (ImageResult.FromMemory(bytes, ColorComponents.Default) is not { Width: > 0, Height: > 0, Data: not null } decoded)
            {
                return "the decoder returned an empty image.";
            }

            image = decoded;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var detail = new string([.. e.Message.Where(c => !char.IsControl(c))]).Trim();
            return detail.Length == 0
                ? "the image could not be decoded: the data is corrupt or truncated."
                : $"the image could not be decoded: the data is corrupt or truncated ({detail}).";
        }

        var components = image.Comp switch
        {
            ColorComponents.Grey => 1,
            ColorComponents.GreyAlpha => 2,
            ColorComponents.RedGreenBlue => 3,
            ColorComponents.RedGreenBlueAlpha => 4,
            _ => throw new InvalidOperationException($"The decoder returned {image.Comp} pixels."),
        };
        var size = image.Width * image.Height * channels;
        if (_channels.Length < size)
        {
            _channels = new float[size];
        }

        ColorConversion.ToChannels(image.Data.AsSpan(0, image.Width * image.Height * components), components, channels, _channels);
        _resampler.Resize(_channels, image.Width, image.Height, channels, destination, width, height);
        return null;
    }
}
