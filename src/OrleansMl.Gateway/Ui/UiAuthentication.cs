using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Options;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Ui;

/// <summary>
/// Sign-in to the web UI: an API key, checked as the API checks it, exchanged for a session cookie
/// (HttpOnly, SameSite=Strict, encrypted by ASP.NET Core data protection) that carries the same role
/// claims the key gives and the key itself, with which the UI calls the API for the person. The cookie
/// authenticates the UI's pages and the Orleans dashboard only, never the API: a page of another site
/// cannot make a browser call the API with it.
/// </summary>
public static class UiAuthentication
{
    public const string Scheme = "OrleansMl.Ui";

    /// <summary>The name under which the session keeps the API key (in the encrypted cookie).</summary>
    public const string KeyToken = "api_key";

    public const string SignInPath = "/sign-in";

    /// <summary>Paths that are the API's (keys and tokens only); every other path is the UI's.</summary>
    private static readonly PathString[] ApiPaths = ["/v1", "/v2", "/health", "/openapi"];

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "orleansml-session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = SignInPath;
        options.LogoutPath = "/sign-out";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
    }

    /// <summary>
    /// The scheme a request is authenticated with: a bearer token or an API key when it carries one; on the
    /// API's paths the API key scheme (a 401 with its challenge when there is none); elsewhere the UI's session
    /// cookie (a redirect to sign-in when there is none), or the API key scheme when authentication is off.
    /// </summary>
    public static string Select(HttpContext context, bool jwtEnabled)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (jwtEnabled && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return JwtRoles.SchemeName;
        }

        if (authorization.Length > 0 || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || Array.Exists(ApiPaths, p => context.Request.Path.StartsWithSegments(p)))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        var enabled = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.Authentication.Enabled;
        return enabled ? Scheme : ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>
    /// Signs the person in with <paramref name="key"/>: the error to show when the key is not one the API
    /// takes, or is limited to serving endpoints (such a key cannot use the UI); null when signed in.
    /// </summary>
    public static async Task<string?> SignInAsync(HttpContext context, string? key)
    {
        var gateway = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.Authentication;
        if (string.IsNullOrWhiteSpace(key))
        {
            return "Enter an API key.";
        }

        var ticket = context.RequestServices.GetRequiredService<ApiKeyCache>()
            .Find(key.Trim(), gateway.ApiKeys, k => ApiKeyAuthenticationHandler.Ticket(k.Name, k.Role, k.Endpoints));
        if (ticket is null)
        {
            return "That API key is not valid.";
        }

        if (ticket.Principal.HasClaim(c => c.Type == EndpointAccess.ClaimType))
        {
            return "That key may only call serving endpoints; sign in with a reader, scientist or admin key.";
        }

        var identity = new ClaimsIdentity(ticket.Principal.Claims, Scheme);
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.StoreTokens([new AuthenticationToken { Name = KeyToken, Value = key.Trim() }]);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), properties);
        return null;
    }
}
