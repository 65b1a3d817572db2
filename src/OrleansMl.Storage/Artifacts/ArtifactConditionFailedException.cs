namespace OrleansMl.Storage.Artifacts;

/// <summary>A conditional write found the artifact in another state than the condition asked for.</summary>
public sealed class ArtifactConditionFailedException(string path, ArtifactWriteCondition condition, Exception? innerException = null)
    : Exception($"The write to '{path}' required {condition}, which does not hold: the artifact was created or changed by another writer.", innerException)
{
    public string Path { get; } = path;

    public ArtifactWriteCondition Condition { get; } = condition;
}
