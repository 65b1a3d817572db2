using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansMl.Gateway.Tests;

/// <summary>Self-signed cluster certificates for the TLS tests, and a TLS handshake with a silo's port.</summary>
internal static class ClusterCertificate
{
    /// <summary>A new self-signed certificate for <paramref name="host"/>, also written as a password-protected .pfx file.</summary>
    public static X509Certificate2 Create(string directory, string host, out string path, out string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        path = Path.Combine(directory, $"{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pkcs12, password));
        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    /// <summary>
    /// Connects to a silo port on loopback, shakes hands presenting <paramref name="client"/>, then waits 3 s
    /// for the silo to close the connection (under TLS 1.3 a refused client certificate shows only then).
    /// Returns the thumbprint the silo presented and whether it kept the connection open.
    /// </summary>
    public static async Task<(string? Thumbprint, bool KeptOpen)> HandshakeAsync(int port, X509Certificate2 client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        try
        {
            using var handshake = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "orleansml-cluster",
                ClientCertificates = [client],
            }, handshake.Token);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return (null, false);
        }

        var thumbprint = new X509Certificate2(tls.RemoteCertificate!).Thumbprint;
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            return (thumbprint, await tls.ReadAsync(new byte[1], wait.Token) > 0); // the silo sends nothing before the client does: 0 means closed
        }
        catch (OperationCanceledException)
        {
            return (thumbprint, true); // still open after 3 s: accepted
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return (thumbprint, false);
        }
    }
}
