using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrleansMl.Client;
using OrleansMl.Gateway.Options;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Ui.Components;

namespace OrleansMl.Gateway.Ui;

/// <summary>The web UI: server-rendered Razor pages at <c>/</c>, their style sheet from this assembly (no CDN, no network: it works air-gapped).</summary>
public static class UiEndpoints
{
    /// <summary>The UI's static files, embedded in this assembly: name → content type.</summary>
    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["app.css"] = "text/css; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
        ["upload.js"] = "text/javascript; charset=utf-8",
    };

    private static readonly Dictionary<string, Lazy<byte[]>> AssetBytes = Assets.Keys.ToDictionary(name => name, name => new Lazy<byte[]>(() => Embedded(name)), StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapOrleansMlUi(this IEndpointRouteBuilder app)
    {
        foreach (var (name, type) in Assets)
        {
            app.MapGet($"/ui/{name}", () => Results.Bytes(AssetBytes[name].Value, type)).AllowAnonymous().ExcludeFromDescription();
        }

        // The experiment's watch stream for a signed-in person's live pages, read through the API as that person.
        app.MapGet("/ui/watch/experiments/{name}", async (string name, UiApi api, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents((await api.TransferClientAsync()).Experiments.WatchAsync(name, cancellationToken), "run"))
            .RequireAuthorization(GatewayPolicies.Reader).ExcludeFromDescription();
        app.MapPost("/ui/upload/datasets/{name}", UploadAsync).RequireAuthorization(GatewayPolicies.Scientist).ExcludeFromDescription();
        app.MapGet("/ui/operations/datasets/{name}/{id}", async (string name, string id, UiApi api) =>
            await CallAsync(async () => Results.Ok(await (await api.ClientAsync()).Datasets.GetOperationAsync(name, id))))
            .RequireAuthorization(GatewayPolicies.Reader).ExcludeFromDescription();
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

    private static byte[] Embedded(string name)
    {
        using var stream = typeof(UiEndpoints).Assembly.GetManifestResourceStream($"OrleansMl.Gateway.Ui.{name}")
            ?? throw new InvalidOperationException($"The UI's {name} is not embedded in the gateway assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// An upload from the datasets page: the file streams (never buffered whole) through the API's upload as the
    /// signed-in person, behind the anti-forgery token the page sent in a header. Answers the import operation.
    /// </summary>
    private static async Task<IResult> UploadAsync(string name, string? fileName, HttpContext context, IAntiforgery antiforgery, UiApi api, IOptionsMonitor<GatewayOptions> options)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.Problem("The form is stale or came from another site; upload from the datasets page.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.CurrentValue.MaxDatasetUploadBytes;
        }

        return await CallAsync(async () => Results.Ok(await (await api.TransferClientAsync()).Datasets.UploadAsync(name, context.Request.Body, fileName ?? "upload", ct: context.RequestAborted)));
    }

    /// <summary>The API's answer, or its problem passed on: its status and what went wrong in this call (the detail, else the whole message).</summary>
    private static async Task<IResult> CallAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (OrleansMlApiException e)
        {
            return Results.Problem(string.IsNullOrEmpty(e.Problem.Detail) ? e.Message : e.Problem.Detail, statusCode: e.StatusCode);
        }
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
