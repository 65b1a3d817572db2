using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Part of every gateway policy: a key limited to chosen endpoints (<see cref="EndpointAccess"/>) may
/// call only routes about endpoints (groups marked with <see cref="EndpointAccess.RequireEndpointAccess"/>,
/// where the endpoint filter checks which one). Everything else (datasets, experiments, models,
/// artifacts, the cluster) is refused, so such a key, handed to an application, reaches nothing but its
/// endpoints, and a new route is closed to it by default.
/// </summary>
public sealed class EndpointLimitedKeyRequirement : AuthorizationHandler<EndpointLimitedKeyRequirement>, IAuthorizationRequirement
{
    public static EndpointLimitedKeyRequirement Instance { get; } = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EndpointLimitedKeyRequirement requirement)
    {
        if (!context.User.HasClaim(c => c.Type == EndpointAccess.ClaimType)
            || context.Resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<EndpointScopedRoute>() is not null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this,
                "This API key is limited to chosen endpoints and may call only their routes (/v1/endpoints/{name}..., /v2/models/{name}...)."));
        }

        return Task.CompletedTask;
    }
}
