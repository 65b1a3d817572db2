using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using OrleansMl.Gateway.Options;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Gives a validated bearer token's caller the gateway's roles: the highest of the token's role claim
/// values that names one (<c>reader</c>, <c>scientist</c>, <c>admin</c>, or with an <c>OrleansMl.</c>
/// prefix as Entra app role values are often written; any case) and every lower one, as API keys get.
/// A token with none of them authenticates and is refused (403) by every route.
/// </summary>
public static class JwtRoles
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    public static Task OnTokenValidated(TokenValidatedContext context, JwtOptions options)
    {
        if (context.Principal?.Identity is not ClaimsIdentity token)
        {
            return Task.CompletedTask;
        }

        GatewayRole? highest = null;
        foreach (var claim in token.FindAll(options.RoleClaim))
        {
            var value = claim.Value.StartsWith("OrleansMl.", StringComparison.OrdinalIgnoreCase) ? claim.Value["OrleansMl.".Length..] : claim.Value;
            if (Enum.TryParse<GatewayRole>(value, ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(value, out _) && (highest is null || role > highest))
            {
                highest = role;
            }
        }

        var name = token.FindFirst(options.NameClaim)?.Value ?? token.FindFirst("sub")?.Value ?? token.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "bearer";
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        for (var granted = GatewayRole.Reader; highest is { } top && granted <= top; granted++)
        {
            claims.Add(new Claim(ClaimTypes.Role, GatewayPolicies.For(granted)));
        }

        // Only what the gateway grants: a token's own "role" claims never pass through as gateway roles.
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.CompletedTask;
    }
}
