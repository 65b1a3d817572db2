namespace OrleansMl.Gateway.Options;

/// <summary>The <c>OrleansMl:Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "OrleansMl:Gateway";

    /// <summary>Largest request body the gateway reads, in bytes, for endpoints without their own limit. Default 32 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L << 20;

    /// <summary>Largest artifact upload, in bytes. Default 4 GiB.</summary>
    public long MaxArtifactUploadBytes { get; set; } = 4L << 30;

    /// <summary>Largest dataset upload (<c>POST /v1/datasets/{name}/uploads</c>), in bytes. Default 16 GiB.</summary>
    public long MaxDatasetUploadBytes { get; set; } = 16L << 30;

    /// <summary>
    /// How long this gateway routes an endpoint's requests by what it last read before re-reading it in
    /// the background, in seconds. Default 1. Updates through this gateway apply at once.
    /// </summary>
    public double EndpointCacheSeconds { get; set; } = 1;

    public GatewayAuthenticationOptions Authentication { get; set; } = new();
}
