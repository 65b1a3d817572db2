using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Catalog;
using OrleansMl.Gateway.Errors;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Serving;
using OrleansMl.GrainClient;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>/v1/endpoints</c>: serving endpoints. Admins create, update (weights, canary, shadow) and delete
/// them; readers read them and predict. Keys limited to chosen endpoints see and use only those
/// (<see cref="EndpointAccess.RequireEndpointAccess"/> on the group).
/// </summary>
public static class EndpointsApi
{
    public static void MapEndpointsApi(this IEndpointRouteBuilder routes)
    {
        var endpoints = routes.MapGroup("/v1/endpoints").WithTags("Endpoints").RequireEndpointAccess();
        endpoints.MapGet("/", ListAsync).WithName("ListEndpoints").RequireAuthorization(GatewayPolicies.Reader);
        endpoints.MapGet("/{name}", GetAsync).WithName("GetEndpoint").RequireAuthorization(GatewayPolicies.Reader);
        endpoints.MapGet("/{name}/history", HistoryAsync).WithName("GetEndpointHistory").RequireAuthorization(GatewayPolicies.Reader);
        endpoints.MapGet("/{name}/traffic", (string name, EndpointTraffic traffic) => TypedResults.Ok(traffic.Read(name))).WithName("GetEndpointTraffic").RequireAuthorization(GatewayPolicies.Reader)
            .WithDescription("The last five minutes of requests this gateway answered for the endpoint, per version in ten-second buckets: requests, errors, rows, latency percentiles.");
        endpoints.MapPut("/{name}", SetAsync).WithName("SetEndpoint").RequireAuthorization(GatewayPolicies.Admin)
            .WithDescription("Creates the endpoint or atomically replaces its targets ({ model, version | alias, weight }), shadow and log sample rate. Every target is loaded before the change commits. With dryRun=true nothing changes: the answer is the next revision as it would serve, checked the same way.");
        endpoints.MapDelete("/{name}", DeleteAsync).WithName("DeleteEndpoint").RequireAuthorization(GatewayPolicies.Admin);
        endpoints.MapPost("/{name}/predict", PredictAsync).WithName("Predict").RequireAuthorization(GatewayPolicies.Reader).WithMetadata(ServingProtocol.V1)
            .Accepts<ServingDocuments.PredictRequest>("application/json", "image/png", "image/jpeg", "image/bmp", "image/gif", "multipart/form-data")
            .Produces<ServingDocuments.PredictResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithDescription("Scores JSON records with the endpoint's model; the answer names the version that made it.");
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var names = await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Endpoints).ListAsync();
        return TypedResults.Ok<IReadOnlyList<string>>([.. names.Where(n => EndpointAccess.Allows(user, n))]);
    }

    private static async Task<Ok<EndpointInfo>> GetAsync(string name, IGrainFactory grains) =>
        TypedResults.Ok(await Endpoint(grains, name).GetAsync() ?? throw new KeyNotFoundException($"There is no endpoint '{name}'."));

    private static async Task<Ok<IReadOnlyList<EndpointChange>>> HistoryAsync(string name, IGrainFactory grains) =>
        TypedResults.Ok(await Endpoint(grains, name).GetHistoryAsync());

    private static async Task<Ok<EndpointInfo>> SetAsync(string name, EndpointSpec spec, bool? dryRun, ClaimsPrincipal user, IGrainFactory grains, EndpointRoutes routes)
    {
        if (dryRun == true)
        {
            return TypedResults.Ok(await Endpoint(grains, name).PreviewAsync(spec, user.Identity?.Name ?? "anonymous"));
        }

        var info = await Endpoint(grains, name).SetAsync(spec, user.Identity?.Name ?? "anonymous");
        routes.Set(info);
        return TypedResults.Ok(info);
    }

    private static async Task<NoContent> DeleteAsync(string name, ClaimsPrincipal user, IGrainFactory grains, EndpointRoutes routes)
    {
        await Endpoint(grains, name).DeleteAsync(user.Identity?.Name ?? "anonymous");
        routes.Remove(name);
        return TypedResults.NoContent();
    }

    private static async Task PredictAsync(string name, HttpContext http, EndpointRoutes routes, EndpointPredictor predictor, ServingMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var endpoint = await routes.GetAsync(name);
            PredictionInput input;
            if (ImageRequest.IsImages(http.Request))
            {
                input = await ImageRequest.ReadAsync(http.Request, endpoint, http.RequestAborted);
            }
            else
            {
                using var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted);
                input = RecordsRequest.Parse(body.Span, endpoint);
            }

            var prediction = await predictor.PredictAsync(endpoint, input);
            await PredictionResponses.WriteRecordsAsync(http.Response, name, prediction, endpoint.Outputs.FirstOrDefault(o => o.Name == "label")?.Type);
            metrics.Succeeded(name, prediction.Model, prediction.Version, ServingProtocol.V1.Name, input.Rows, started);
        }
        catch (Exception e)
        {
            metrics.Failed(name, ServingProtocol.V1.Name, GatewayExceptionHandler.StatusOf(e), started);
            throw;
        }
    }

    private static IEndpointGrain Endpoint(IGrainFactory grains, string name) =>
        grains.GetGrain<IEndpointGrain>(ResourceNames.Validate(name, "endpoint"));
}
