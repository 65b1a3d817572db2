using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Keys limited to chosen serving endpoints (<c>ApiKeys:N:Endpoints</c>) carry one claim per endpoint;
/// a key without such claims may use every endpoint.
/// </summary>
public static class EndpointAccess
{
    public const string ClaimType = "orleansml:endpoint";

    public static bool Allows(ClaimsPrincipal user, string endpoint)
    {
        var limited = false;
        foreach (var claim in user.FindAll(ClaimType))
        {
            if (claim.Value == endpoint)
            {
                return true;
            }

            limited = true;
        }

        return !limited;
    }

    /// <summary>
    /// Opens <paramref name="group"/> to keys limited to endpoints (<see cref="EndpointLimitedKeyRequirement"/>) and
    /// checks every call whose route has a <c>{name}</c> (an endpoint's) against the key's endpoints. A refused prediction (a route marked with <see cref="ServingProtocol"/>)
    /// is counted as a 403 in <see cref="ServingMetrics"/>.
    /// </summary>
    public static RouteGroupBuilder RequireEndpointAccess(this RouteGroupBuilder group)
    {
        group.WithMetadata(EndpointScopedRoute.Instance);
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            if (http.GetRouteValue("name") is string endpoint && !Allows(http.User, endpoint))
            {
                if (http.GetEndpoint()?.Metadata.GetMetadata<ServingProtocol>() is { } protocol)
                {
                    http.RequestServices.GetRequiredService<ServingMetrics>().Failed(endpoint, protocol.Name, StatusCodes.Status403Forbidden, Stopwatch.GetTimestamp());
                }

                throw new UnauthorizedAccessException($"This API key may not use endpoint '{endpoint}'."); // the gateway answers 403
            }

            return next(context);
        });
        return group;
    }
}
