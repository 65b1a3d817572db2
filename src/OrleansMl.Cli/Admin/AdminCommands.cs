using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Errors;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Admin;

/// <summary><c>orleansml admin backup|restore</c>: snapshots of the whole platform (admin keys).</summary>
public static class AdminCommands
{
    public static Command Create(CliContext context) => new("admin", "Operate the platform: back it up and restore it, list those jobs, read the audit log.")
    {
        Audit(context),
        Jobs(context),
        JobCommand(context, "backup", "Write a snapshot of every dataset, experiment, model, endpoint and workspace with their files, while the platform runs, to an empty folder on the server or a blob container.", (client, location, ct) => client.Backups.StartBackupAsync(location, ct)),
        JobCommand(context, "restore", "Bring a backup back into this platform, which must be empty (a new data directory or storage account).", (client, location, ct) => client.Backups.StartRestoreAsync(location, ct)),
    };

    /// <summary><c>admin jobs</c>: the backups and restores the platform knows, newest first.</summary>
    private static Command Jobs(CliContext context)
    {
        var command = new Command("jobs", "The backups and restores the platform knows, newest first (admin key).");
        context.SetAction(command, async run =>
        {
            var jobs = await run.Client.Backups.ListJobsAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(jobs);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "kind", "status", "location", "started", "by", "resources", "files", "size", "error");
            foreach (var job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.Id), job.Kind, job.Status, Markup.Escape(job.Location.Path ?? job.Location.Container ?? ""),
                    job.StartedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(job.StartedBy), job.Resources.ToString(CultureInfo.InvariantCulture),
                    job.Files.ToString(CultureInfo.InvariantCulture), Size(job.Bytes), Markup.Escape(job.Error ?? ""));
            }

            run.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>admin audit</c>: the audit log, newest last.</summary>
    private static Command Audit(CliContext context)
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "From (ISO 8601; default 24 hours before --to)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Until (ISO 8601; default now). At most 31 days after --from." };
        var who = new Option<string>("--who") { Description = "Only this API key's calls (its configured name)." };
        var operation = new Option<string>("--operation") { Description = "Only this route, e.g. DeleteDataset." };
        var status = new Option<int?>("--status") { Description = "Only answers with this status, e.g. 403." };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default 1,000, at most 10,000)." };
        var command = new Command("audit", "The audit log: every change and every refused call, who made it, and how it ended (admin key).") { from, to, who, operation, status, limit };
        context.SetAction(command, async run =>
        {
            var entries = await run.Client.Audit.ReadAsync(run.Get(from), run.Get(to), run.Get(who), run.Get(operation), run.Get(status), run.Get(limit), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(entries);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("at", "who", "operation", "method", "path", "status", "client");
            foreach (var entry in entries)
            {
                table.AddRow(
                    entry.At.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(entry.Who), Markup.Escape(entry.Operation ?? "—"), entry.Method,
                    Markup.Escape(entry.Path), entry.Status.ToString(CultureInfo.InvariantCulture), Markup.Escape(entry.Client ?? ""));
            }

            run.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command JobCommand(CliContext context, string name, string description, Func<OrleansMlClient, BackupLocation, CancellationToken, Task<BackupJob>> start)
    {
        var path = new Option<string>("--path") { Description = "A folder on the server, under one of its OrleansMl:Backup:Roots or the data directory's backups folder." };
        var container = new Option<string>("--container") { Description = "A blob container of the platform's storage account (Azure storage only)." };
        var command = new Command(name, description) { path, container };
        context.SetAction(command, async run =>
        {
            var location = new BackupLocation(run.Get(path), run.Get(container));
            if ((location.Path is null) == (location.Container is null))
            {
                throw new CliUsageException($"Give exactly one of --path and --container.");
            }

            var job = await start(run.Client, location, run.CancellationToken);
            job = !run.LiveProgress
                ? await run.Client.Backups.WaitAsync(job, ct: run.CancellationToken)
                : await run.Output.Status().StartAsync($"{name} running", async status =>
                    await run.Client.Backups.WaitAsync(job, new Progress<BackupJob>(j => status.Status($"{name}: {j.Resources} resources, {j.Files} files, {Size(j.Bytes)}")), run.CancellationToken));
            if (job.Status == "failed")
            {
                throw new CommandFailedException($"The {name} failed: {job.Error}", name == "restore"
                    ? "A restore needs an empty platform; one that stopped while copying continues when run again."
                    : "Fix the cause and run it again into a new, empty folder or container.");
            }

            if (run.Json)
            {
                run.WriteJson(job);
                return ExitCodes.Ok;
            }

            run.WriteLine($"{(name == "backup" ? "Backed up" : "Restored")} {job.Resources} resources and {job.Files} files ({Size(job.Bytes)}) {(name == "backup" ? "to" : "from")} {Markup.Escape(location.Path ?? location.Container!)}.");
            if (job.Changed.Count > 0)
            {
                run.WriteLine($"[yellow]Still changing while it ran (captured as last seen):[/] {Markup.Escape(string.Join(", ", job.Changed))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:F2} GB"),
    };
}
