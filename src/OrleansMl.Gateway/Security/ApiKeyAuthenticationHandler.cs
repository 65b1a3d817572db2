using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Options;

namespace OrleansMl.Gateway.Security;

/// <summary>
/// Authenticates a caller by the key in <c>X-Api-Key</c> (or <c>Authorization: ApiKey ...</c>): the
/// key is hashed and compared with the configured hashes. The principal gets the key's role and
/// every lower one as role claims, and the endpoints it is limited to (if any) as endpoint claims. With authentication switched off every caller is an admin.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<GatewayOptions> gatewayOptions,
    ApiKeyCache cache,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string AuthorizationPrefix = "ApiKey ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authentication = gatewayOptions.CurrentValue.Authentication;
        if (!authentication.Enabled)
        {
            return Task.FromResult(AuthenticateResult.Success(Anonymous));
        }

        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var ticket = cache.Find(presented, authentication.ApiKeys, key => Ticket(key.Name, key.Role, key.Endpoints));
        return Task.FromResult(ticket is null ? AuthenticateResult.Fail("The API key is not valid.") : AuthenticateResult.Success(ticket));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return base.HandleChallengeAsync(properties);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header.ToString()))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[AuthorizationPrefix.Length..].Trim()
            : null;
    }

    private static readonly AuthenticationTicket Anonymous = Ticket("anonymous (authentication disabled)", GatewayRole.Admin, []);

    /// <summary>The principal a key gives: its name, its role and every lower one, the endpoints it is limited to.</summary>
    internal static AuthenticationTicket Ticket(string name, GatewayRole role, List<string> endpoints)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        for (var granted = GatewayRole.Reader; granted <= role; granted++)
        {
            claims.Add(new Claim(ClaimTypes.Role, GatewayPolicies.For(granted)));
        }

        claims.AddRange(endpoints.Select(e => new Claim(EndpointAccess.ClaimType, e)));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return new AuthenticationTicket(principal, SchemeName);
    }
}
