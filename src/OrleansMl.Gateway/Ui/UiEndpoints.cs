using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Ui.Components;

namespace OrleansMl.Gateway.Ui;

/// <summary>The web UI: server-rendered Razor pages at <c>/</c>, their style sheet from this assembly (no CDN, no network: it works air-gapped).</summary>
public static class UiEndpoints
{
    private static readonly Lazy<byte[]> StyleSheet = new(() =>
    {
        using var stream = typeof(UiEndpoints).Assembly.GetManifestResourceStream("OrleansMl.Gateway.Ui.app.css")
            ?? throw new InvalidOperationException("The UI's style sheet is not embedded in the gateway assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapOrleansMlUi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/app.css", () => Results.Bytes(StyleSheet.Value, "text/css; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-out", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        // Every page states its role; the framework's own redirect endpoint (for enhanced navigation) needs a signed-in reader.
        app.MapRazorComponents<App>().Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.RawText?.StartsWith("/_framework/", StringComparison.Ordinal) == true)
            {
                route.Metadata.Add(new AuthorizeAttribute(GatewayPolicies.Reader));
            }
        });
        return app;
    }

    /// <summary>Ends the session (a form post with the anti-forgery token, so another site cannot sign a person out) and goes to sign-in.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest("The form is stale or came from another site; sign out from the page.");
        }

        await context.SignOutAsync(UiAuthentication.Scheme);
        return Results.Redirect(UiAuthentication.SignInPath);
    }
}
