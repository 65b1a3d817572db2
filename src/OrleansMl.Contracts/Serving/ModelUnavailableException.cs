namespace OrleansMl.Serving;

/// <summary>A model version that cannot serve: its artifact is missing or does not load. The gateway answers 503 with the reason.</summary>
[GenerateSerializer, Alias("orleansml.ModelUnavailableException")]
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
