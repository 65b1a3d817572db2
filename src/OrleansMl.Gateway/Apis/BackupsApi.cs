using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansMl.Backups;
using OrleansMl.Gateway.Security;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// Backups and restores, for admins: <c>POST /v1/admin/backups</c> and <c>POST /v1/admin/restores</c>
/// start a job (202), <c>GET /v1/admin/jobs/{id}</c> follows it.
/// </summary>
public static class BackupsApi
{
    private const int MaxWaitSeconds = 300;

    public static void MapBackupsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin").WithTags("Backups").RequireAuthorization(GatewayPolicies.Admin);
        admin.MapPost("/backups", BackupAsync).WithName("StartBackup")
            .WithDescription("Writes a snapshot of every dataset, experiment, run, model, endpoint and workspace with their artifacts, while the platform runs, to an empty folder on the server ({\"path\"}, under OrleansMl:Backup:Roots or the data directory's backups folder) or a blob container of the platform's storage account ({\"container\"}). Answers 202 with the job; ?wait=N waits up to N seconds for it.");
        admin.MapPost("/restores", RestoreAsync).WithName("StartRestore")
            .WithDescription("Brings a backup ({\"path\"} or {\"container\"}) back into this platform, which must be empty. Answers 202 with the job; ?wait=N waits up to N seconds for it.");
        admin.MapGet("/jobs", ListAsync).WithName("ListBackupJobs");
        admin.MapGet("/jobs/{id}", GetAsync).WithName("GetBackupJob");
    }

    private static async Task<Accepted<BackupJob>> BackupAsync(BackupLocation location, int? wait, ClaimsPrincipal user, IGrainFactory grains) =>
        await AcceptedAsync(grains, await Backups(grains).StartBackupAsync(location, user.Identity?.Name ?? "anonymous"), wait);

    private static async Task<Accepted<BackupJob>> RestoreAsync(BackupLocation location, int? wait, ClaimsPrincipal user, IGrainFactory grains) =>
        await AcceptedAsync(grains, await Backups(grains).StartRestoreAsync(location, user.Identity?.Name ?? "anonymous"), wait);

    private static async Task<Ok<IReadOnlyList<BackupJob>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await Backups(grains).ListAsync());

    private static async Task<Results<Ok<BackupJob>, ProblemHttpResult>> GetAsync(string id, int? wait, IGrainFactory grains) =>
        await Backups(grains).WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, MaxWaitSeconds))) is { } job
            ? TypedResults.Ok(job)
            : TypedResults.Problem($"There is no backup or restore job '{id}' (jobs are kept while the silo that ran them runs).", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    private static async Task<Accepted<BackupJob>> AcceptedAsync(IGrainFactory grains, BackupJob job, int? wait)
    {
        if (wait is > 0)
        {
            job = await Backups(grains).WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(Math.Min(wait.Value, MaxWaitSeconds))) ?? job;
        }

        return TypedResults.Accepted($"/v1/admin/jobs/{job.Id}", job);
    }

    private static IBackupGrain Backups(IGrainFactory grains) => grains.GetGrain<IBackupGrain>(IBackupGrain.Key);
}
