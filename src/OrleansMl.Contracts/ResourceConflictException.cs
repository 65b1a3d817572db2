namespace OrleansMl;

/// <summary>A request that contradicts what a resource already is (an experiment re-created with another spec). The gateway answers 409 with the reason.</summary>
[GenerateSerializer, Alias("orleansml.ResourceConflictException")]
public sealed class ResourceConflictException : Exception
{
    public ResourceConflictException()
    {
    }

    public ResourceConflictException(string message)
        : base(message)
    {
    }

    public ResourceConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
