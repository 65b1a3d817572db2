using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Gateway.Security;
using OrleansMl.Workspaces;

namespace OrleansMl.Gateway.Apis;

/// <summary><c>/v1/workspaces/{name}</c>: read, create or update, delete a workspace.</summary>
public static class WorkspacesApi
{
    public static RouteGroupBuilder MapWorkspacesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/workspaces").WithTags("Workspaces");
        group.MapGet("/{name}", GetAsync).WithName("GetWorkspace").RequireAuthorization(GatewayPolicies.Reader);
        group.MapPut("/{name}", PutAsync).WithName("PutWorkspace").RequireAuthorization(GatewayPolicies.Scientist);
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteWorkspace").RequireAuthorization(GatewayPolicies.Admin);
        return group;
    }

    private static async Task<Results<Ok<WorkspaceInfo>, ProblemHttpResult, ValidationProblem>> GetAsync(string name, IGrainFactory grains)
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }

        var workspace = await grains.GetGrain<IWorkspaceGrain>(name).GetAsync();
        return workspace is null ? NotFound(name) : TypedResults.Ok(workspace);
    }

    private static async Task<Results<Ok<WorkspaceInfo>, ValidationProblem>> PutAsync(string name, WorkspaceUpdate update, IGrainFactory grains)
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }

        // Checked here too, so that the 400 names the field (ParamName does not cross the grain call).
        WorkspaceValidation.ValidDescription(update.Description);
        WorkspaceValidation.ValidTags(update.Tags);
        return TypedResults.Ok(await grains.GetGrain<IWorkspaceGrain>(name).UpsertAsync(update));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(string name, IGrainFactory grains)
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }

        return await grains.GetGrain<IWorkspaceGrain>(name).DeleteAsync() ? TypedResults.NoContent() : NotFound(name);
    }

    private static ValidationProblem? InvalidName(string name) =>
        WorkspaceValidation.IsValidName(name)
            ? null
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = ["A workspace name has 1-64 letters, digits, '-', '_' or '.', and starts with a letter or digit."] });

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"There is no workspace '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
