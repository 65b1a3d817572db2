namespace OrleansMl.Ml.Torch;

/// <summary>
/// The usual augmentation for small images, on a batch of row-major C×H×W images in place: a random crop
/// of the image padded by an eighth of its side with zeros (a shift of up to that many pixels each way),
/// and a horizontal flip half of the time.
/// </summary>
public static class ImageAugmentation
{
    public static void CropAndFlip(Span<float> batch, int channels, int height, int width, Random random)
    {
        var size = channels * height * width;
        var pad = Math.Max(1, Math.Min(height, width) / 8);
        var copy = new float[size];
        for (var start = 0; start + size <= batch.Length; start += size)
        {
            var image = batch.Slice(start, size);
            image.CopyTo(copy);
            var dy = random.Next(-pad, pad + 1);
            var dx = random.Next(-pad, pad + 1);
            var flip = random.Next(2) == 1;
            for (var c = 0; c < channels; c++)
            {
                for (var y = 0; y < height; y++)
                {
                    var sy = y + dy;
                    var target = image.Slice((c * height * width) + (y * width), width);
                    if (sy < 0 || sy >= height)
                    {
                        target.Clear();
                        continue;
                    }

                    for (var x = 0; x < width; x++)
                    {
                        var sx = (flip ? width - 1 - x : x) + dx;
                        target[x] = sx >= 0 && sx < width ? copy[(c * height * width) + (sy * width) + sx] : 0;
                    }
                }
            }
        }
    }
}
