using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Hosting.Security;

/// <summary>
/// Mutual TLS between the cluster's processes: each presents the cluster certificate and requires the
/// other side to present the very same one (pinned by thumbprint, so no public CA, and no other
/// certificate a CA would vouch for, gets in). Rotation without downtime goes through <see cref="ClusterTlsOptions.AcceptedThumbprints"/>.
/// </summary>
public static class ClusterTls
{
    /// <summary>
    /// The cluster certificate, with its private key, from a PKCS#12 file or a file holding one as base64 text
    /// (what a Key Vault certificate's secret is, mounted as a file by Container Apps or the CSI driver).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The file is unreadable, or has no private key; the message names the setting.</exception>
    public static X509Certificate2 Load(ClusterTlsOptions options)
    {
        const string Setting = "OrleansMl:Tls:CertificatePath";
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(Pkcs12Bytes(File.ReadAllBytes(options.CertificatePath!)), options.CertificatePassword);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw Invalid($"{Setting}: '{options.CertificatePath}' is not a readable PKCS#12 certificate with that password ({e.GetType().Name}).");
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw Invalid($"{Setting}: '{options.CertificatePath}' holds no private key; the cluster certificate needs one.");
    }

    /// <summary>A configuration error: the host prints it and exits with 2, as for any invalid setting.</summary>
    private static Microsoft.Extensions.Options.OptionsValidationException Invalid(string failure) =>
        new(OrleansMlOptions.SectionName, typeof(ClusterTlsOptions), [failure]);

    private static byte[] Pkcs12Bytes(byte[] file)
    {
        // A PKCS#12 file is DER: it starts with a SEQUENCE tag. Anything else is read as base64 text.
        if (file.Length > 0 && file[0] == 0x30)
        {
            return file;
        }

        try
        {
            return Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(file).Trim());
        }
        catch (FormatException)
        {
            return file; // neither: the loader says what is wrong
        }
    }

    /// <summary>
    /// Requires and pins the remote certificate (this process's own, or one of <paramref name="acceptedThumbprints"/>),
    /// and names the host the certificate is for when connecting.
    /// </summary>
    public static void Configure(TlsOptions tls, X509Certificate2 certificate, IEnumerable<string>? acceptedThumbprints = null)
    {
        var host = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        var accepted = new HashSet<string>(acceptedThumbprints ?? [], StringComparer.OrdinalIgnoreCase);
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => remote is not null
            && (remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)
                || (accepted.Count > 0 && accepted.Contains(remote.GetCertHashString(HashAlgorithmName.SHA256))));
        tls.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = host;
    }
}
