using OrleansMl.Storage.Resilience;

namespace OrleansMl.Hosting.Options;

/// <summary>The <c>OrleansMl:Storage</c> section.</summary>
public sealed class OrleansMlStorageOptions
{
    /// <summary>Default <see cref="StorageMode.Local"/>.</summary>
    public StorageMode Mode { get; set; } = StorageMode.Local;

    /// <summary>Azure Storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite). Takes precedence over the service URIs.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob service URI, used with DefaultAzureCredential when no connection string is set.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Table service URI, used with DefaultAzureCredential when no connection string is set.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Blob container for artifacts. Default <c>orleansml-artifacts</c>.</summary>
    public string ArtifactContainer { get; set; } = "orleansml-artifacts";

    /// <summary>Blob container for grain state. Default <c>orleansml-grainstate</c>.</summary>
    public string GrainStateContainer { get; set; } = "orleansml-grainstate";

    /// <summary>Table for cluster membership. Default <c>OrleansMlSilos</c>.</summary>
    public string ClusteringTable { get; set; } = "OrleansMlSilos";

    /// <summary>Table for Orleans reminders (what wakes an unfinished experiment whose silo stopped). Default <c>OrleansMlReminders</c>.</summary>
    public string RemindersTable { get; set; } = "OrleansMlReminders";

    /// <summary>Retry, timeout and circuit breaker settings for the artifact store.</summary>
    public StorageResilienceOptions Resilience { get; set; } = new();
}
