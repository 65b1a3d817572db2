using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Options;

/// <summary>One API key: who holds it and what it may do.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; shows in logs and traces as the caller's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the key as 64 hex digits (<c>OrleansMl.Silo hash-key KEY</c> prints it).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>What the key may do: reader, scientist or admin; each includes the ones before it.</summary>
    public GatewayRole Role { get; set; } = GatewayRole.Reader;

    /// <summary>The serving endpoints the key may use (predict, read, and for an admin update); empty: every endpoint.</summary>
    public List<string> Endpoints { get; set; } = [];
}
