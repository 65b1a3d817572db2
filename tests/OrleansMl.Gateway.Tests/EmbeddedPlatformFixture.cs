using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>One embedded platform shared by a collection, with small body limits so they can be tested.</summary>
public sealed class EmbeddedPlatformFixture : IAsyncLifetime
{
    public const long MaxRequestBodyBytes = 64 * 1024;
    public const long MaxArtifactUploadBytes = 512 * 1024;
    public const long MaxDatasetUploadBytes = 4 * 1024 * 1024;

    /// <summary>Models idle this long are unloaded, so a test can see a model reload.</summary>
    public static readonly TimeSpan IdleUnload = TimeSpan.FromSeconds(2);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleansml-gateway-").FullName;
    private EmbeddedPlatform _platform = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient Reader { get; private set; } = null!;

    public HttpClient Scientist { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public IServiceProvider Services => _platform.Services;

    /// <summary>The port Orleans clients connect to.</summary>
    public int GatewayPort => _platform.GatewayPort;

    /// <summary>A reader limited to <see cref="TestKeys.AppEndpoint"/>.</summary>
    public HttpClient App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _platform = await EmbeddedPlatform.StartAsync(
            _dataDirectory,
            TestKeys.Configuration(),
            ("OrleansMl:Gateway:MaxRequestBodyBytes", MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("OrleansMl:Gateway:MaxArtifactUploadBytes", MaxArtifactUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("OrleansMl:Gateway:MaxDatasetUploadBytes", MaxDatasetUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("OrleansMl:Serving:IdleUnload", IdleUnload.ToString()),
            ("OrleansMl:Metrics:Prometheus", "true"),
            ("OrleansMl:Gateway:Authentication:Jwt:Audience", TestTokens.Audience),
            ("OrleansMl:Gateway:Authentication:Jwt:Issuer", TestTokens.Issuer),
            ("OrleansMl:Gateway:Authentication:Jwt:SigningKey", TestTokens.SigningKey));
        Anonymous = _platform.CreateClient();
        Reader = _platform.CreateClient(TestKeys.Reader);
        Scientist = _platform.CreateClient(TestKeys.Scientist);
        Admin = _platform.CreateClient(TestKeys.Admin);
        App = _platform.CreateClient(TestKeys.App);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedPlatformCollection : ICollectionFixture<EmbeddedPlatformFixture>
{
    public const string Name = "Embedded platform";
}
