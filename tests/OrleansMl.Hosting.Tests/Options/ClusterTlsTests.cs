using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansMl.Hosting.Options;
using OrleansMl.Hosting.Security;

namespace OrleansMl.Hosting.Tests.Options;

public sealed class ClusterTlsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orleansml-tls-");

    [Fact]
    public void A_pkcs12_file_and_the_same_as_base64_text_as_key_vault_mounts_it_load_the_same_certificate()
    {
        using var certificate = SelfSigned();
        var pfx = certificate.Export(X509ContentType.Pkcs12, "pw");
        var binary = Path.Combine(_directory.FullName, "cluster.pfx");
        var text = Path.Combine(_directory.FullName, "cluster-tls");
        File.WriteAllBytes(binary, pfx);
        File.WriteAllText(text, Convert.ToBase64String(pfx) + "\n");

        using var fromBinary = ClusterTls.Load(new ClusterTlsOptions { CertificatePath = binary, CertificatePassword = "pw" });
        using var fromText = ClusterTls.Load(new ClusterTlsOptions { CertificatePath = text, CertificatePassword = "pw" });
        Assert.Equal(certificate.Thumbprint, fromBinary.Thumbprint);
        Assert.Equal(certificate.Thumbprint, fromText.Thumbprint);
        Assert.True(fromText.HasPrivateKey);
    }

    [Fact]
    public void A_file_that_is_no_certificate_or_has_the_wrong_password_names_the_setting()
    {
        using var certificate = SelfSigned();
        var path = Path.Combine(_directory.FullName, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "pw"));
        var wrong = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ClusterTls.Load(new ClusterTlsOptions { CertificatePath = path, CertificatePassword = "other" }));
        Assert.Contains("OrleansMl:Tls:CertificatePath", wrong.Message, StringComparison.Ordinal);

        var garbage = Path.Combine(_directory.FullName, "garbage");
        File.WriteAllText(garbage, "not a certificate at all");
        var bad = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ClusterTls.Load(new ClusterTlsOptions { CertificatePath = garbage }));
        Assert.Contains("OrleansMl:Tls:CertificatePath", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_must_present_this_certificate_or_one_whose_SHA256_thumbprint_is_accepted_during_a_rotation()
    {
        using var own = SelfSigned();
        using var next = SelfSigned();
        using var stranger = SelfSigned();
        var pinned = new Orleans.Connections.Security.TlsOptions();
        ClusterTls.Configure(pinned, own);
        Assert.True(pinned.RemoteCertificateValidation!(own, null!, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(pinned.RemoteCertificateValidation(next, null!, System.Net.Security.SslPolicyErrors.None));

        var rotating = new Orleans.Connections.Security.TlsOptions();
        ClusterTls.Configure(rotating, own, [next.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant()]);
        Assert.True(rotating.RemoteCertificateValidation!(own, null!, System.Net.Security.SslPolicyErrors.None));
        Assert.True(rotating.RemoteCertificateValidation(next, null!, System.Net.Security.SslPolicyErrors.None));
        Assert.False(rotating.RemoteCertificateValidation(stranger, null!, System.Net.Security.SslPolicyErrors.None));
    }

    [Fact]
    public void An_accepted_thumbprint_that_is_not_64_hex_digits_is_refused_by_name()
    {
        var options = new OrleansMlOptions();
        options.Tls.AcceptedThumbprints.Add("ABCDEF"); // a SHA-1 prefix, say
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => OrleansMlOptionsValidator.ThrowIfInvalid(options));
        Assert.Contains(error.Failures, f => f.StartsWith("OrleansMl:Tls:AcceptedThumbprints:0 must be", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=orleansml-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
