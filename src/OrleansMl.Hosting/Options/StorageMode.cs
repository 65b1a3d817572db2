namespace OrleansMl.Hosting.Options;

/// <summary>Where the platform keeps its cluster membership, grain state and artifacts.</summary>
public enum StorageMode
{
    /// <summary>One process: localhost clustering, grain state and artifacts as files under the data directory.</summary>
    Local,

    /// <summary>Azure Table clustering, Azure Blob grain state, Azure Blob artifacts.</summary>
    AzureStorage,
}
