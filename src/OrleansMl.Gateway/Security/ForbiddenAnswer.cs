using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// A refused call gets a 403 ProblemDetails that says why: the role the route needs and the key's, or
/// the key's endpoint limit. Everything else is answered as ASP.NET Core does (401 with the challenge).
/// </summary>
public sealed class ForbiddenAnswer(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || authorizeResult.AuthorizationFailure is not { } failure)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = Why(failure, context.User) };
        if (context.Request.Path.StartsWithSegments("/v2"))
        {
            problem.Extensions["error"] = problem.Detail; // the Open Inference Protocol's error field
        }

        await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static string Why(AuthorizationFailure failure, ClaimsPrincipal user)
    {
        if (failure.FailureReasons.FirstOrDefault() is { } reason)
        {
            return reason.Message;
        }

        var needed = failure.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).FirstOrDefault();
        var held = Enum.GetValues<GatewayRole>().Select(GatewayPolicies.For).LastOrDefault(user.IsInRole);
        return needed is null
            ? "The caller may not make this call."
            : $"This call needs the {needed} role; the caller has {(held is null ? "no role" : $"the {held} role")}.";
    }
}
