namespace OrleansMl.Gateway.Serving;

/// <summary>
/// Route metadata marking a prediction route and its protocol, the <c>protocol</c> tag of
/// <see cref="ServingMetrics"/>: filters that reject a request before its handler runs record it too.
/// </summary>
public sealed record ServingProtocol(string Name)
{
    public static readonly ServingProtocol V1 = new("v1");
    public static readonly ServingProtocol V2 = new("v2");
}
