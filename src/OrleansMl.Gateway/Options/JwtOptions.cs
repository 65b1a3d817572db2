namespace OrleansMl.Gateway.Options;

/// <summary>
/// The <c>OrleansMl:Gateway:Authentication:Jwt</c> section: bearer tokens (Entra ID or any OpenID Connect
/// issuer) accepted beside API keys. Off until <see cref="Audience"/> is set.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The issuer's OpenID Connect authority; its signing keys are fetched from its metadata (e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (Entra: the application ID URI or client ID). Setting it turns bearer tokens on.</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer tokens must name; with <see cref="Authority"/>, its metadata gives it.</summary>
    public string? Issuer { get; set; }

    /// <summary>A base64 symmetric key that signs tokens, for an issuer without metadata (your own token service; tests). Never with <see cref="Authority"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that holds the caller's roles. Default <c>roles</c> (Entra app roles).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the caller in the audit log and logs. Default <c>preferred_username</c>, then <c>sub</c>.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    public bool Enabled => !string.IsNullOrWhiteSpace(Audience);
}
