namespace OrleansMl.Client;

/// <summary>Applies <paramref name="Steps"/>, in order, to a version (the latest when null) and stores the result as the next version.</summary>
public sealed record TransformRequest(IReadOnlyList<TransformStep> Steps, int? Version = null);
