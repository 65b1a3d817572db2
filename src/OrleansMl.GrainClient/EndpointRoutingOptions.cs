namespace OrleansMl.GrainClient;

/// <summary>How long a caller routes by the endpoint it last read before it reads it again (in the background).</summary>
public sealed class EndpointRoutingOptions
{
    /// <summary>Seconds, 0 to 3600. Default 1. The gateway sets it from <c>OrleansMl:Gateway:EndpointCacheSeconds</c>.</summary>
    public double CacheSeconds { get; set; } = 1;
}
