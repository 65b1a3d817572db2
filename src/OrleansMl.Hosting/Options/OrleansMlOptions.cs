using Microsoft.Extensions.Configuration;

namespace OrleansMl.Hosting.Options;

/// <summary>The <c>OrleansMl</c> configuration section: how a silo or gateway joins the cluster and where it keeps data.</summary>
public sealed class OrleansMlOptions
{
    public const string SectionName = "OrleansMl";

    /// <summary>Root of local state and artifacts in <see cref="StorageMode.Local"/>. Default <c>./.orleansml</c>, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".orleansml";

    /// <summary>Orleans cluster id: silos and clients with the same id form one cluster. Default <c>orleansml</c>.</summary>
    public string ClusterId { get; set; } = "orleansml";

    /// <summary>Orleans service id: stays the same across deployments, keys durable state. Default <c>orleansml</c>.</summary>
    public string ServiceId { get; set; } = "orleansml";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (the gateway process) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address this silo advertises to the others in <see cref="StorageMode.AzureStorage"/>: an IP address, or
    /// <c>host</c> for the host's own (<see cref="HostAddress.Resolve"/>; in <see cref="StorageMode.Local"/>, where no
    /// other silo looks, it stays 127.0.0.1). Default 127.0.0.1 (one machine); in a container the default is <c>host</c>.
    /// </summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Whether an embedded process runs the Orleans dashboard at <c>/dashboard</c>. Default true. It
    /// intercepts every grain call to count it, which costs serving throughput (docs/benchmarks.md).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// Whether the silo runs as a Kubernetes pod (infra/k8s): Orleans' Kubernetes hosting names the silo after its pod
    /// (<c>POD_NAME</c>, <c>POD_NAMESPACE</c>, <c>POD_IP</c> from the pod's metadata) and declares a silo dead as soon as
    /// its pod is gone instead of after failure detection. Needs <see cref="StorageMode.AzureStorage"/>. Default false.
    /// </summary>
    public bool Kubernetes { get; set; }

    public OrleansMlStorageOptions Storage { get; set; } = new();

    /// <summary>The <c>OrleansMl:Datasets</c> section: folders server-path imports may read.</summary>
    public Datasets.DatasetImportOptions Datasets { get; set; } = new();

    /// <summary>The <c>OrleansMl:Serving</c> section: micro-batching and model caching of the predictors.</summary>
    public Serving.ServingOptions Serving { get; set; } = new();

    /// <summary>The <c>OrleansMl:Retention</c> section: how long prediction logs, the audit log and metric histories are kept.</summary>
    public Retention.RetentionOptions Retention { get; set; } = new();

    /// <summary>The <c>OrleansMl:Sql</c> section: the memory one SQL query may hold and when it exchanges rows through the store.</summary>
    public Sql.SqlOptions Sql { get; set; } = new();

    /// <summary>The <c>OrleansMl:Backup</c> section: folders backups may be written to and restored from.</summary>
    public OrleansMl.Backups.BackupOptions Backup { get; set; } = new();

    /// <summary>The <c>OrleansMl:Tls</c> section: mutual TLS between silos and clients.</summary>
    public ClusterTlsOptions Tls { get; set; } = new();

    /// <summary>The data directory as an absolute path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    /// <summary>Binds the <c>OrleansMl</c> section of <paramref name="configuration"/> and validates it.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static OrleansMlOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new OrleansMlOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(OrleansMlOptions), [$"{SectionName}: {e.Message}"]);
        }

        if (string.Equals(options.AdvertisedIPAddress, HostAddress.Keyword, StringComparison.OrdinalIgnoreCase))
        {
            options.AdvertisedIPAddress = options.Storage.Mode == StorageMode.Local ? "127.0.0.1" : HostAddress.Resolve()?.ToString()
                ?? throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(OrleansMlOptions),
                    [$"{SectionName}:AdvertisedIPAddress is 'host' but this host has no IPv4 address other than loopback or link-local; set the address other silos reach it at."]);
        }

        OrleansMlOptionsValidator.ThrowIfInvalid(options);
        return options;
    }
}
