namespace OrleansMl.Gateway.Apis;

/// <summary>The body of <c>PUT /v1/models/{name}/aliases/{alias}</c>: the version the alias points at.</summary>
public sealed record AliasTarget(int Version);
