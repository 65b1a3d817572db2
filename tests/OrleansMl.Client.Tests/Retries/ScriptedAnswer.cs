namespace OrleansMl.Client.Tests.Retries;

/// <summary>What <see cref="ScriptedServer"/> answers to one request, after <paramref name="Delay"/>.</summary>
internal sealed record ScriptedAnswer(int Status, string Body = "", string ContentType = "application/json", string? RetryAfter = null, TimeSpan Delay = default);
