namespace OrleansMl.Hosting.Options;

/// <summary>
/// The <c>OrleansMl:Tls</c> section: mutual TLS on silo-to-silo and client-to-silo connections (ports
/// 11111 and 30000), every process presenting the one cluster certificate and accepting only it. Off
/// until <see cref="CertificatePath"/> is set; the Azure deployment sets it (from Key Vault).
/// </summary>
public sealed class ClusterTlsOptions
{
    /// <summary>A PKCS#12 (.pfx) file holding the cluster certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password, if it has one (give it through an environment variable or a secret store, never a file in the image).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (64 hex digits) of other certificates a peer may present besides this process's own:
    /// how the cluster certificate is rotated without downtime (docs/operations.md): first every process accepts the
    /// new one, then each presents it while still accepting the old one, then the old one is dropped.
    /// </summary>
    public List<string> AcceptedThumbprints { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
