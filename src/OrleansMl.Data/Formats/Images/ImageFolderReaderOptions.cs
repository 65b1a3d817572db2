namespace OrleansMl.Data.Formats.Images;

/// <summary>Settings of <see cref="ImageFolderDatasetReader"/>.</summary>
public sealed class ImageFolderReaderOptions
{
    /// <summary>The largest <see cref="Width"/> or <see cref="Height"/> accepted.</summary>
    public const int MaxSide = 4096;

    /// <summary>The largest <see cref="MaxSourcePixels"/> accepted: 4 bytes a pixel must fit in one array.</summary>
    public const long MaxSourcePixelsLimit = 1L << 28;

    /// <summary>Width in pixels every image is resized to. Required.</summary>
    public required int Width { get; init; }

    /// <summary>Height in pixels every image is resized to. Required.</summary>
    public required int Height { get; init; }

    /// <summary>
    /// 1 for grayscale (luminance 0.299 R + 0.587 G + 0.114 B) or 3 for RGB. Default 1.
    /// Alpha is dropped; a gray source gives three equal channels.
    /// </summary>
    public int Channels { get; init; } = 1;

    /// <summary>
    /// The most pixels a source image may have; larger files count as bad files, so a small file
    /// that declares a huge image cannot exhaust memory. Default 64 Mi (8192 x 8192).
    /// </summary>
    public long MaxSourcePixels { get; init; } = 64L << 20;

    /// <summary>What to do with a file that cannot be decoded. Default <see cref="BadRecordPolicy.Fail"/>.</summary>
    public BadRecordPolicy BadFiles { get; init; } = BadRecordPolicy.Fail;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Width is < 1 or > MaxSide)
        {
            throw new ArgumentException($"{nameof(ImageFolderReaderOptions)}.{nameof(Width)} is {Width}; it must be between 1 and {MaxSide}.");
        }

        if (Height is < 1 or > MaxSide)
        {
            throw new ArgumentException($"{nameof(ImageFolderReaderOptions)}.{nameof(Height)} is {Height}; it must be between 1 and {MaxSide}.");
        }

        if (Channels is not (1 or 3))
        {
            throw new ArgumentException($"{nameof(ImageFolderReaderOptions)}.{nameof(Channels)} is {Channels}; it must be 1 (grayscale) or 3 (RGB).");
        }

        if (MaxSourcePixels is < 1 or > MaxSourcePixelsLimit)
        {
            throw new ArgumentException($"{nameof(ImageFolderReaderOptions)}.{nameof(MaxSourcePixels)} is {MaxSourcePixels}; it must be between 1 and {MaxSourcePixelsLimit}.");
        }

        if (!Enum.IsDefined(BadFiles))
        {
            throw new ArgumentException($"{nameof(ImageFolderReaderOptions)}.{nameof(BadFiles)} is {BadFiles}; it must be {BadRecordPolicy.Fail} or {BadRecordPolicy.Skip}.");
        }
    }
}
