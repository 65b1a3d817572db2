namespace OrleansMl.Client.Tests.Retries;

/// <summary>A request <see cref="ScriptedServer"/> received: when (since it started), what, and the whole body.</summary>
internal sealed record ReceivedRequest(TimeSpan At, string Method, string PathAndQuery, byte[] Body, string? ApiKey);
