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

    /// <param name="sdkRetries">Retries the SDK makes itself; 0 where a Polly pipeline owns retries.</param>
    public static BlobServiceClient CreateBlobServiceClient(OrleansMlStorageOptions options, int sdkRetries = 3)
    {
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = sdkRetries;
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.BlobServiceUri, Credential.Value, clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
    }

    public static TableServiceClient CreateTableServiceClient(OrleansMlStorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.TableServiceUri, Credential.Value)
            : new TableServiceClient(options.ConnectionString);
}
