namespace OrleansMl.Client;

/// <summary>One move of an alias: from which version to which (null when set first or removed), when and by which key.</summary>
public sealed record AliasChange(string Alias, int? From, int? To, DateTimeOffset At, string By);
