using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Catalog;
using OrleansMl.Gateway.Security;
using OrleansMl.Models;
using OrleansMl.Workspaces;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// <c>/v1/models</c>: the registry. Scientists register versions; admins move aliases (deploying is
/// theirs) and delete versions. Every alias move records the API key's name.
/// </summary>
public static class ModelsApi
{
    public static void MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var models = routes.MapGroup("/v1/models").WithTags("Models");
        models.MapGet("/", ListAsync).WithName("ListModels").RequireAuthorization(GatewayPolicies.Reader);
        models.MapGet("/{name}", GetAsync).WithName("GetModel").RequireAuthorization(GatewayPolicies.Reader);
        models.MapPost("/{name}/versions", RegisterAsync).WithName("RegisterModelVersion").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Registers the next version from a finished run ({ experiment, run }) or a stored artifact ({ artifact, flavor: mlnet|onnx }).");
        models.MapPost("/{name}/versions/{version:int}/onnx", ExportOnnxAsync).WithName("ExportModelVersionToOnnx").RequireAuthorization(GatewayPolicies.Scientist)
            .WithDescription("Converts an ML.NET version to ONNX and registers it as the next version, with the same signature, lineage and metrics.");
        models.MapDelete("/{name}/versions/{version:int}", DeleteVersionAsync).WithName("DeleteModelVersion").RequireAuthorization(GatewayPolicies.Admin);
        models.MapPut("/{name}/aliases/{alias}", SetAliasAsync).WithName("SetModelAlias").RequireAuthorization(GatewayPolicies.Admin);
        models.MapPost("/{name}/aliases/{alias}/rollback", RollBackAsync).WithName("RollBackModelAlias").RequireAuthorization(GatewayPolicies.Admin);
        models.MapDelete("/{name}/aliases/{alias}", RemoveAliasAsync).WithName("RemoveModelAlias").RequireAuthorization(GatewayPolicies.Admin);
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Models).ListAsync());

    private static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> GetAsync(string name, IGrainFactory grains) =>
        await Model(grains, name).GetAsync() is { } info
            ? TypedResults.Ok(info)
            : TypedResults.Problem($"There is no model '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    private static async Task<Created<ModelVersionInfo>> RegisterAsync(string name, ModelSource source, ClaimsPrincipal user, IGrainFactory grains)
    {
        var version = await Model(grains, name).RegisterAsync(source, By(user));
        return TypedResults.Created($"/v1/models/{name}", version);
    }

    private static async Task<Created<ModelVersionInfo>> ExportOnnxAsync(string name, int version, ClaimsPrincipal user, IGrainFactory grains)
    {
        var exported = await Model(grains, name).ExportOnnxAsync(version, By(user));
        return TypedResults.Created($"/v1/models/{name}", exported);
    }

    private static async Task<Ok<ModelInfo>> DeleteVersionAsync(string name, int version, IGrainFactory grains) =>
        TypedResults.Ok(await Model(grains, name).DeleteVersionAsync(version));

    private static async Task<Ok<ModelInfo>> SetAliasAsync(string name, string alias, AliasTarget target, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await Model(grains, name).SetAliasAsync(alias, target.Version, By(user)));

    private static async Task<Ok<ModelInfo>> RollBackAsync(string name, string alias, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await Model(grains, name).RollBackAsync(alias, By(user)));

    private static async Task<Ok<ModelInfo>> RemoveAliasAsync(string name, string alias, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await Model(grains, name).RemoveAliasAsync(alias, By(user)));

    private static string By(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static IModelGrain Model(IGrainFactory grains, string name) =>
        grains.GetGrain<IModelGrain>(ResourceNames.Validate(name, "model"));
}
