using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using OrleansMl;
using OrleansMl.Datasets;
using OrleansMl.Hosting.Azure;
using OrleansMl.Hosting.GrainStorage;
using OrleansMl.Hosting.Options;
using OrleansMl.Hosting.Security;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.AzureBlob;
using OrleansMl.Storage.Resilience;

namespace Orleans.Hosting;

/// <summary>Adds OrleansMl to an Orleans silo.</summary>
public static class OrleansMlSiloBuilderExtensions
{
    /// <summary>
    /// Configures the silo from the <c>OrleansMl</c> section of <paramref name="configuration"/>:
    /// clustering, grain storage and the artifact store for the configured storage mode.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static ISiloBuilder AddOrleansMl(this ISiloBuilder builder, IConfiguration configuration) =>
        builder.AddOrleansMl(OrleansMlOptions.FromConfiguration(configuration));

    /// <inheritdoc cref="AddOrleansMl(ISiloBuilder, IConfiguration)"/>
    public static ISiloBuilder AddOrleansMl(this ISiloBuilder builder, OrleansMlOptions options)
    {
        OrleansMlOptionsValidator.ThrowIfInvalid(options);
        builder.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        if (options.Storage.Mode == StorageMode.Local)
        {
            builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            builder.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = AzureStorageClients.CreateTableServiceClient(options.Storage);
                o.TableName = options.Storage.ClusteringTable;
            });
            builder.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIPAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            if (options.Kubernetes)
            {
                UseKubernetesHosting(builder);
            }
        }

        if (options.Tls.Enabled)
        {
            var certificate = ClusterTls.Load(options.Tls);
            builder.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate, options.Tls.AcceptedThumbprints));
        }

        return builder.AddOrleansMlStorage(options);
    }

    /// <summary>
    /// Orleans' Kubernetes hosting: the silo is named after its pod, and silos watch the pods of their cluster (labels
    /// <c>orleans/serviceId</c>, <c>orleans/clusterId</c>) to declare a silo dead when its pod goes. The pod's identity
    /// comes from environment variables the manifests set from the pod's metadata; without them this is a configuration
    /// error, not a silo that starts and then fails to reach the Kubernetes API.
    /// </summary>
    private static void UseKubernetesHosting(ISiloBuilder builder)
    {
        string[] required = ["POD_NAME", "POD_NAMESPACE", "POD_IP"];
        var missing = required.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0)
        {
            throw new OptionsValidationException(OrleansMlOptions.SectionName, typeof(OrleansMlOptions),
                [$"{OrleansMlOptions.SectionName}:Kubernetes is true but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set: the pod spec sets them from metadata.name, metadata.namespace and status.podIP (infra/k8s)."]);
        }

        builder.UseKubernetesHosting();
    }

    /// <summary>
    /// Everything of <see cref="AddOrleansMl(ISiloBuilder, OrleansMlOptions)"/> but clustering: grain
    /// storage, the artifact store and the dataset services, for hosts (such as test clusters) that set up clustering themselves.
    /// </summary>
    public static ISiloBuilder AddOrleansMlStorage(this ISiloBuilder builder, OrleansMlOptions options)
    {
        if (options.Storage.Mode == StorageMode.Local)
        {
            builder.AddLocalFileGrainStorage(GrainStorageNames.Metadata, o => o.RootDirectory = Path.Combine(options.DataDirectoryFullPath, "grain-state"));
        }
        else
        {
            builder.AddAzureBlobGrainStorage(GrainStorageNames.Metadata, o =>
            {
                o.BlobServiceClient = AzureStorageClients.CreateGrainStateClient(options.Storage);
                o.ContainerName = options.Storage.GrainStateContainer;
            });
        }

        // Grain state is written with the Orleans serializer, which handles every type that crosses a
        // grain call (records, read-only collections of any runtime type); the default JSON serializer
        // writes runtime collection types it cannot read back.
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        // Reminders wake an unfinished experiment wherever its silo went (ExperimentGrain). In Local mode one
        // process is the whole platform (and test clusters keep them in a grain); in Azure mode they are durable.
        if (options.Storage.Mode == StorageMode.Local)
        {
            builder.UseInMemoryReminderService();
        }
        else
        {
            builder.UseAzureTableReminderService(o =>
            {
                o.TableServiceClient = AzureStorageClients.CreateTableServiceClient(options.Storage);
                o.TableName = options.Storage.RemindersTable;
            });
        }

        builder.Services.AddOrleansMlServices(options);
        builder.Services.AddOrleansMlDatasets();
        builder.Services.Configure<DatasetImportOptions>(o =>
        {
            o.ImportRoots = [.. options.Datasets.ImportRoots];
            o.MaxArchiveBytes = options.Datasets.MaxArchiveBytes;
            o.MaxArchiveFiles = options.Datasets.MaxArchiveFiles;
            o.MaxPartitionBytes = options.Datasets.MaxPartitionBytes;
            o.PartitionCacheBytes = options.Datasets.PartitionCacheBytes;
            o.DefaultRoot = Path.Combine(options.DataDirectoryFullPath, "imports");
        });
        builder.Services.Configure<OrleansMl.Backups.BackupOptions>(o =>
        {
            o.Roots = [.. options.Backup.Roots];
            o.DefaultRoot = Path.Combine(options.DataDirectoryFullPath, "backups");
            o.OpenContainer = options.Storage.Mode == StorageMode.Local ? null : BackupContainer(options);
        });
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Serving));
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Retention));
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Sql));
        builder.Services.AddHostedService<OrleansMl.Retention.RetentionSweeper>();
        return builder;
    }

    /// <summary>Opens a container of the platform's storage account for a backup; never one of the platform's own.</summary>
    private static Func<string, IArtifactStore> BackupContainer(OrleansMlOptions options) => name =>
        name == options.Storage.ArtifactContainer || name == options.Storage.GrainStateContainer
            ? throw FieldError.Invalid($"container '{name}' is one the platform itself uses; name another.", "container")
            : new AzureBlobArtifactStore(
                AzureStorageClients.CreateBlobServiceClient(options.Storage).GetBlobContainerClient(name),
                StorageResiliencePipeline.Create(options.Storage.Resilience));

    /// <summary>Registers a <see cref="LocalFileGrainStorage"/> provider under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddLocalFileGrainStorage(this ISiloBuilder builder, string name, Action<LocalFileGrainStorageOptions> configure)
    {
        builder.Services.AddOptions<LocalFileGrainStorageOptions>(name)
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), $"LocalFileGrainStorageOptions[{name}].RootDirectory must be set.");
        builder.Services.AddGrainStorage(name, static (sp, key) => new LocalFileGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<LocalFileGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<ILogger<LocalFileGrainStorage>>()));
        return builder;
    }
}
