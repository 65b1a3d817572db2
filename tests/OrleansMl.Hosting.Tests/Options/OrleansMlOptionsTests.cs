using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Hosting.Tests.Options;

public sealed class OrleansMlOptionsTests
{
    [Fact]
    public void DefaultsAreTheEmbeddedLocalMode()
    {
        var options = OrleansMlOptions.FromConfiguration(Configuration());

        Assert.Equal(StorageMode.Local, options.Storage.Mode);
        Assert.Equal(Path.GetFullPath(".orleansml"), options.DataDirectoryFullPath);
        Assert.Equal(11111, options.SiloPort);
        Assert.Equal(30000, options.GatewayPort);
    }

    [Theory]
    [InlineData("OrleansMl:SiloPort", "0", "OrleansMl:SiloPort must be between 1 and 65535")]
    [InlineData("OrleansMl:GatewayPort", "11111", "OrleansMl:SiloPort and OrleansMl:GatewayPort must differ")]
    [InlineData("OrleansMl:ClusterId", " ", "OrleansMl:ClusterId must not be empty")]
    [InlineData("OrleansMl:AdvertisedIPAddress", "not-an-ip", "OrleansMl:AdvertisedIPAddress must be an IP address")]
    [InlineData("OrleansMl:Storage:Mode", "Cassandra", "OrleansMl:Storage:Mode")]
    [InlineData("OrleansMl:Storage:Resilience:MaxRetryAttempts", "-1", "OrleansMl:Storage:Resilience:MaxRetryAttempts")]
    [InlineData("OrleansMl:Sql:QueryBytes", "1000", "OrleansMl:Sql:QueryBytes must be at least 1048576")]
    [InlineData("OrleansMl:Sql:BroadcastBytes", "-1", "OrleansMl:Sql:BroadcastBytes must be 0 or more")]
    [InlineData("OrleansMl:Kubernetes", "true", "OrleansMl:Kubernetes needs OrleansMl:Storage:Mode AzureStorage")]
    public void AnInvalidSettingIsNamedInTheError(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => OrleansMlOptions.FromConfiguration(Configuration((key, value))));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AzureStorageModeNeedsAConnectionStringOrServiceUris()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OrleansMlOptions.FromConfiguration(Configuration(("OrleansMl:Storage:Mode", "AzureStorage"))));

        Assert.Contains(error.Failures, f => f.Contains("OrleansMl:Storage:ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureStorageModeRejectsInvalidContainerNames()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OrleansMlOptions.FromConfiguration(Configuration(
            ("OrleansMl:Storage:Mode", "AzureStorage"),
            ("OrleansMl:Storage:ConnectionString", "UseDevelopmentStorage=true"),
            ("OrleansMl:Storage:ArtifactContainer", "Bad_Name"))));

        Assert.Contains(error.Failures, f => f.Contains("OrleansMl:Storage:ArtifactContainer", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureStorageModeAcceptsServiceUrisForManagedIdentity()
    {
        var options = OrleansMlOptions.FromConfiguration(Configuration(
            ("OrleansMl:Storage:Mode", "AzureStorage"),
            ("OrleansMl:Storage:BlobServiceUri", "https://acct.blob.core.windows.net"),
            ("OrleansMl:Storage:TableServiceUri", "https://acct.table.core.windows.net")));

        Assert.Equal(StorageMode.AzureStorage, options.Storage.Mode);
    }

    [Fact]
    public void Host_as_the_advertised_address_is_the_hosts_own_IPv4_address_not_loopback()
    {
        Assert.Equal("127.0.0.1", OrleansMlOptions.FromConfiguration(Configuration(("OrleansMl:AdvertisedIPAddress", "host"))).AdvertisedIPAddress); // Local: no one looks
        var options = OrleansMlOptions.FromConfiguration(Configuration(
            ("OrleansMl:AdvertisedIPAddress", "host"), ("OrleansMl:Storage:Mode", "AzureStorage"), ("OrleansMl:Storage:ConnectionString", "UseDevelopmentStorage=true")));
        var address = System.Net.IPAddress.Parse(options.AdvertisedIPAddress);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, address.AddressFamily);
        Assert.False(System.Net.IPAddress.IsLoopback(address));
        Assert.Equal(HostAddress.Resolve(), address);
    }

    [Fact]
    public void A_silo_told_it_runs_in_Kubernetes_without_the_pods_identity_is_a_configuration_error_naming_what_is_missing()
    {
        // This process is no pod: POD_NAME, POD_NAMESPACE and POD_IP are unset.
        Assert.All(new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP" }, v => Assert.Null(Environment.GetEnvironmentVariable(v)));
        var options = OrleansMlOptions.FromConfiguration(Configuration(
            ("OrleansMl:Kubernetes", "true"), ("OrleansMl:Storage:Mode", "AzureStorage"), ("OrleansMl:Storage:ConnectionString", "UseDevelopmentStorage=true")));
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<OptionsValidationException>(() => builder.UseOrleans(silo => silo.AddOrleansMl(options)));

        Assert.Contains("OrleansMl:Kubernetes is true but POD_NAME, POD_NAMESPACE, POD_IP are not set", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
