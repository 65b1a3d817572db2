namespace OrleansMl.Data.Formats.Images;

/// <summary>Settings of <see cref="IdxDatasetReader"/>.</summary>
public sealed class IdxReaderOptions
{
    /// <summary>The smallest <see cref="BufferSize"/> accepted.</summary>
    public const int MinBufferSize = 4096;

    /// <summary>Bytes read from the images file per block. Default 1 MiB.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// The name of the labels file in error messages. Default: the images source name followed by
    /// " (labels)".
    /// </summary>
    public string? LabelsSourceName { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (BufferSize < MinBufferSize)
        {
            throw new ArgumentException(
                $"{nameof(IdxReaderOptions)}.{nameof(BufferSize)} is {BufferSize}; it must be at least {MinBufferSize} bytes.");
        }
    }
}
