using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using OrleansMl.Hosting.Options;

namespace OrleansMl.Hosting.Azure;

/// <summary>Creates the Azure Storage clients for <see cref="StorageMode.AzureStorage"/>: from a connection string, or from service URIs with DefaultAzureCredential (managed identity when deployed).</summary>
public static class AzureStorageClients
{
    private static readonly Lazy<TokenCredential> Credential = new(() => new DefaultAzureCredential());

    /// <summary>A blob client that does not retry: the artifact store's resilience pipeline owns retries.</summary>
    public static BlobServiceClient CreateBlobServiceClient(OrleansMlStorageOptions options)
    {
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        return Create(options, clientOptions);
    }

    /// <summary>
    /// The client Orleans' blob grain storage writes state with. Orleans calls the SDK directly, so the
    /// SDK retries, with the resilience settings' delays, but bounded so that one state write gives up
    /// (at most <see cref="StateRetries"/> retries of <see cref="StateAttemptTimeout"/> each: 3 × 8 s plus the delays, under 30 s by construction) before the
    /// grain call that made it times out (30 s): the caller learns that storage failed, and the grain
    /// is not held for minutes while storage is down.
    /// </summary>
    public static BlobServiceClient CreateGrainStateClient(OrleansMlStorageOptions options)
    {
        var resilience = options.Resilience;
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = Math.Min(resilience.MaxRetryAttempts, StateRetries);
        clientOptions.Retry.Delay = resilience.BaseDelay;
        clientOptions.Retry.MaxDelay = resilience.MaxDelay;
        clientOptions.Retry.NetworkTimeout = resilience.AttemptTimeout < StateAttemptTimeout ? resilience.AttemptTimeout : StateAttemptTimeout;
        return Create(options, clientOptions);
    }

    private static BlobServiceClient Create(OrleansMlStorageOptions options, BlobClientOptions clientOptions) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.BlobServiceUri, Credential.Value, clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);

    public const int StateRetries = 2;

    public static readonly TimeSpan StateAttemptTimeout = TimeSpan.FromSeconds(8);

    public static TableServiceClient CreateTableServiceClient(OrleansMlStorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.TableServiceUri, Credential.Value)
            : new TableServiceClient(options.ConnectionString);
}
