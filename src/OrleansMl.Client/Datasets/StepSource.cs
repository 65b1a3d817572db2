namespace OrleansMl.Client;

/// <summary>A transformed dataset version (the latest when <paramref name="Version"/> is null) whose resolved steps are applied again.</summary>
public sealed record StepSource(string Dataset, int? Version = null);
