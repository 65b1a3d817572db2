namespace OrleansMl.Models;

/// <summary>A model in the registry (key: its name): versions with lineage, and aliases with their full history.</summary>
[Alias("orleansml.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    /// <summary>Registers the next version from a finished run, or from a stored artifact, which is copied under <c>models/{name}/{version}/</c>.</summary>
    /// <exception cref="ArgumentException">The source is invalid or the run has not succeeded; the message names the field.</exception>
    [Alias("RegisterAsync")]
    Task<ModelVersionInfo> RegisterAsync(ModelSource source, string by);

    /// <summary>Converts an ML.NET version to ONNX and registers the result as the next version (same signature, lineage and metrics).</summary>
    /// <exception cref="ArgumentException">The version is not ML.NET, or a step of it has no ONNX conversion (field <c>version</c>).</exception>
    [Alias("ExportOnnxAsync")]
    Task<ModelVersionInfo> ExportOnnxAsync(int version, string by);

    [Alias("GetAsync")]
    Task<ModelInfo?> GetAsync();

    /// <summary>Points an alias (production, staging, any name) at a version; the move is recorded.</summary>
    [Alias("SetAliasAsync")]
    Task<ModelInfo> SetAliasAsync(string alias, int version, string by);

    /// <summary>Moves an alias back to the version it pointed at before its last move.</summary>
    [Alias("RollBackAsync")]
    Task<ModelInfo> RollBackAsync(string alias, string by);

    [Alias("RemoveAliasAsync")]
    Task<ModelInfo> RemoveAliasAsync(string alias, string by);

    /// <summary>Records which versions <paramref name="endpoint"/> serves (none: it released them); a version in use cannot be deleted.</summary>
    [Alias("SetEndpointUseAsync")]
    Task SetEndpointUseAsync(string endpoint, IReadOnlyList<int> versions);

    /// <summary>Deletes a version no alias or endpoint uses; its artifact stays where the run wrote it.</summary>
    [Alias("DeleteVersionAsync")]
    Task<ModelInfo> DeleteVersionAsync(int version);
}
