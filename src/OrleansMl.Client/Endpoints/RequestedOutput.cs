namespace OrleansMl.Client;

/// <summary>An output an inference request asks for: <c>label</c>, <c>scores</c> or <c>prediction</c>.</summary>
public sealed record RequestedOutput(string Name);
