using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMl.Gateway.Errors;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Serving;
using OrleansMl.GrainClient;
using OrleansMl.Serving;
using static OrleansMl.Gateway.Apis.ServingDocuments;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// The Open Inference Protocol v2 (KServe, Triton, MLServer) over the serving endpoints: a "model" of
/// the protocol is an endpoint, and its versions are the model versions the endpoint routes to.
/// Errors are ProblemDetails that also carry the protocol's <c>error</c> field.
/// </summary>
public static class InferenceApi
{
    public static void MapInferenceApi(this IEndpointRouteBuilder routes)
    {
        var v2 = routes.MapGroup("/v2").WithTags("Open Inference Protocol v2").RequireEndpointAccess();
        v2.MapGet("/", ServerMetadata).WithName("InferenceServerMetadata").RequireAuthorization(GatewayPolicies.Reader);
        v2.MapGet("/health/live", () => TypedResults.Ok(new ServerLive(true))).WithName("InferenceLive").AllowAnonymous();
        v2.MapGet("/health/ready", ReadyAsync).WithName("InferenceReady").AllowAnonymous();
        v2.MapGet("/models/{name}", MetadataAsync).WithName("InferenceModelMetadata").RequireAuthorization(GatewayPolicies.Reader);
        v2.MapGet("/models/{name}/versions/{version:int}", MetadataAsync).WithName("InferenceModelVersionMetadata").RequireAuthorization(GatewayPolicies.Reader);
        v2.MapGet("/models/{name}/ready", ModelReadyAsync).WithName("InferenceModelReady").RequireAuthorization(GatewayPolicies.Reader);
        v2.MapGet("/models/{name}/versions/{version:int}/ready", ModelReadyAsync).WithName("InferenceModelVersionReady").RequireAuthorization(GatewayPolicies.Reader);
        foreach (var (pattern, operation) in new[] { ("/models/{name}/infer", "Infer"), ("/models/{name}/versions/{version:int}/infer", "InferVersion") })
        {
            v2.MapPost(pattern, InferAsync).WithName(operation).RequireAuthorization(GatewayPolicies.Reader).WithMetadata(ServingProtocol.V2)
                .Accepts<ServingDocuments.InferenceRequest>("application/json")
                .Produces<InferenceResponse>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static Ok<ServerMetadata> ServerMetadata() =>
        TypedResults.Ok(new ServerMetadata("orleansml", typeof(InferenceApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0", []));

    private static async Task<IResult> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), cancellationToken);
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(new ServerReady(false), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new ServerReady(true));
    }

    private static async Task<Ok<ModelMetadata>> MetadataAsync(string name, int? version, EndpointRoutes routes)
    {
        var endpoint = await EndpointAsync(name, version, routes);
        var inputs = endpoint.Pipeline
            ? endpoint.Inputs.Select(i => new TensorMetadata(i.Name, RawInferenceRequest.Datatype(i), i.Type == "vector" ? [-1, i.VectorLength] : [-1]))
            : [new TensorMetadata(endpoint.Inputs[0].Name, "FP32", [-1, endpoint.Inputs[0].VectorLength])];
        var outputs = endpoint.Outputs.Select(o => o.Type == "vector"
            ? new TensorMetadata(o.Name, "FP32", [-1, o.VectorLength > 0 ? o.VectorLength : -1])
            : new TensorMetadata(o.Name, o.Type switch { "int64" => "INT64", "float64" => "FP64", "boolean" => "BOOL", "string" or "categorical" => "BYTES", _ => "FP32" }, [-1]));
        var flavor = endpoint.Routes[0].Flavor;
        return TypedResults.Ok(new ModelMetadata(
            endpoint.Name,
            [.. endpoint.Routes.Where(r => version is null || r.Version == version).Select(r => r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            flavor == "onnx" ? "onnx_onnxv1" : $"orleansml_{flavor}",
            [.. inputs],
            [.. outputs]));
    }

    private static async Task<IResult> ModelReadyAsync(string name, int? version, EndpointRoutes routes, IGrainFactory grains)
    {
        var endpoint = await EndpointAsync(name, version, routes);
        try
        {
            await Task.WhenAll(endpoint.Routes.Where(r => version is null || r.Version == version)
                .Select(r => grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(r.Model, r.Version)).LoadAsync()));
            return TypedResults.Ok(new ModelReady(name, true));
        }
        catch (ModelUnavailableException e)
        {
            return TypedResults.Json(new ModelReady(name, false, e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task InferAsync(string name, int? version, HttpContext http, EndpointRoutes routes, EndpointPredictor predictor, ServingMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var endpoint = await EndpointAsync(name, version, routes);
            if (http.Request.Headers.ContainsKey("Inference-Header-Content-Length"))
            {
                throw FieldError.Invalid("Binary tensor data (the binary_tensor_data extension) is not supported; send the data as JSON.", "body");
            }

            Serving.InferenceRequest request;
            using (var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted))
            {
                request = endpoint.Pipeline
                    ? RawInferenceRequest.Parse(body.Span, endpoint)
                    : Serving.InferenceRequest.Parse(body.Span, endpoint.Inputs[0], endpoint.Outputs);
            }

            var prediction = await predictor.PredictAsync(endpoint, request.Input, version);
            await PredictionResponses.WriteInferenceAsync(http.Response, name, prediction, request, endpoint.Outputs.FirstOrDefault(o => o.Name == "label")?.Type);
            metrics.Succeeded(name, prediction.Model, prediction.Version, ServingProtocol.V2.Name, request.Input.Rows, started);
        }
        catch (Exception e)
        {
            metrics.Failed(name, ServingProtocol.V2.Name, GatewayExceptionHandler.StatusOf(e), started);
            throw;
        }
    }

    private static async Task<EndpointInfo> EndpointAsync(string name, int? version, EndpointRoutes routes)
    {
        var endpoint = await routes.GetAsync(name);
        return version is null || endpoint.Routes.Any(r => r.Version == version)
            ? endpoint
            : throw new KeyNotFoundException($"Endpoint '{name}' does not serve version {version}; it serves {string.Join(", ", endpoint.Routes.Select(r => r.Version))}.");
    }
}
