using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansMl.Hosting.Azure;
using OrleansMl.Hosting.Options;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.AzureBlob;
using OrleansMl.Storage.FileSystem;
using OrleansMl.Storage.Resilience;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Services every OrleansMl process needs, silo or gateway.</summary>
public static class OrleansMlServiceCollectionExtensions
{
    /// <summary>Registers the options, a <see cref="TimeProvider"/> and the <see cref="IArtifactStore"/> for the configured storage mode.</summary>
    public static IServiceCollection AddOrleansMlServices(this IServiceCollection services, OrleansMlOptions options)
    {
        services.TryAddSingleton(Options.Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IArtifactStore>(sp => CreateArtifactStore(options, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The artifact store for <paramref name="options"/>: files under the data directory, or an Azure Blob container behind the resilience pipeline.</summary>
    public static IArtifactStore CreateArtifactStore(OrleansMlOptions options, TimeProvider timeProvider) =>
        options.Storage.Mode == StorageMode.Local
            ? new FileSystemArtifactStore(Path.Combine(options.DataDirectoryFullPath, "artifacts"))
            : new AzureBlobArtifactStore(
                AzureStorageClients.CreateBlobServiceClient(options.Storage).GetBlobContainerClient(options.Storage.ArtifactContainer),
                StorageResiliencePipeline.Create(options.Storage.Resilience, timeProvider));
}
