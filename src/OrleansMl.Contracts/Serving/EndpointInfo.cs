using OrleansMl.Datasets;

namespace OrleansMl.Serving;

/// <summary>
/// An endpoint as it serves now: its revision (one more on every update), routes with weights, the
/// shadow, the signature every route shares, and who made the revision and when.
/// </summary>
/// <param name="Image">When the versions were trained on an image import: how an image sent as the request body is decoded.</param>
/// <param name="Pipeline">True when a route's version carries fitted steps: requests then carry raw columns (<see cref="Inputs"/>).</param>
[GenerateSerializer, Immutable, Alias("orleansml.EndpointInfo")]
public sealed record EndpointInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int Revision,
    [property: Id(2)] IReadOnlyList<EndpointRoute> Routes,
    [property: Id(3)] EndpointRoute? Shadow,
    [property: Id(4)] double LogSampleRate,
    [property: Id(5)] IReadOnlyList<DatasetColumn> Inputs,
    [property: Id(6)] IReadOnlyList<DatasetColumn> Outputs,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string UpdatedBy,
    [property: Id(9)] bool Pipeline = false,
    [property: Id(10)] Pipelines.ImageInput? Image = null);
