namespace OrleansMl.Gateway.Security;

/// <summary>Endpoint metadata of the routes a key limited to endpoints may call (<see cref="EndpointLimitedKeyRequirement"/>).</summary>
public sealed class EndpointScopedRoute
{
    public static EndpointScopedRoute Instance { get; } = new();

    private EndpointScopedRoute()
    {
    }
}
