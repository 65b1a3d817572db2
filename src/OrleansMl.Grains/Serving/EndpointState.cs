using OrleansMl.Datasets;

namespace OrleansMl.Serving;

[GenerateSerializer, Alias("orleansml.EndpointState")]
public sealed class EndpointState
{
    [Id(0)] public int Revision { get; set; }

    /// <summary>Empty when the endpoint does not exist (never created, or deleted).</summary>
    [Id(1)] public List<EndpointRoute> Routes { get; set; } = [];

    [Id(2)] public EndpointRoute? Shadow { get; set; }

    [Id(3)] public double LogSampleRate { get; set; }

    [Id(4)] public List<DatasetColumn> Inputs { get; set; } = [];

    [Id(5)] public List<DatasetColumn> Outputs { get; set; } = [];

    [Id(6)] public List<EndpointChange> History { get; set; } = [];

    /// <summary>True when a route's version carries fitted steps, so requests carry raw columns.</summary>
    [Id(7)] public bool Pipeline { get; set; }

    /// <summary>How images sent to the endpoint are decoded, when its versions were trained on an image import.</summary>
    [Id(8)] public Pipelines.ImageInput? Image { get; set; }
}
