namespace OrleansMl.Hosting.GrainStorage;

/// <summary>A grain state file could not be trusted. The file is left as it is, for inspection or restore.</summary>
public sealed class GrainStateCorruptException(string filePath, string reason, Exception? innerException = null)
    : Exception($"The grain state file '{filePath}' is corrupt: {reason}. It was left in place; restore it from a backup, or delete it to reset the grain to its default state.", innerException)
{
    public string FilePath { get; } = filePath;
}
