namespace OrleansMl.Pipelines;

/// <summary>
/// How a model's image input was made at import: the vector column the decoded pixels went to and the
/// size and channels every image was resized to, so an image sent to an endpoint is decoded the same way.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.ImageInput")]
public sealed record ImageInput(
    [property: Id(0)] string Column,
    [property: Id(1)] int Width,
    [property: Id(2)] int Height,
    [property: Id(3)] int Channels);
