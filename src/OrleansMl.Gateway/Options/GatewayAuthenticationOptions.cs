namespace OrleansMl.Gateway.Options;

/// <summary>The <c>OrleansMl:Gateway:Authentication</c> section.</summary>
public sealed class GatewayAuthenticationOptions
{
    /// <summary>
    /// Default true: every API call needs a key. False lets every caller act as admin: for local
    /// development only; the gateway then logs a warning at start.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The accepted keys, by the SHA-256 of the key; the keys themselves are never stored.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>Bearer tokens accepted beside the keys; off until its audience is set.</summary>
    public JwtOptions Jwt { get; set; } = new();
}
