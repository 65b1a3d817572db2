using System.CommandLine;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Artifacts;

/// <summary><c>orleansml artifact list|get|put</c>: the artifact store (models, metric histories, uploads, anything a run wrote).</summary>
public static class ArtifactCommands
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("artifact", "The artifact store: list what is stored, download a file, upload one, delete one.")
        {
            List(context),
            Get(context),
            Put(context),
            Delete(context),
        };
    }

    private static Command List(CliContext context)
    {
        var prefix = new Argument<string>("prefix") { Arity = ArgumentArity.ZeroOrOne, Description = "Only paths that start with this (e.g. runs/my-experiment/).", DefaultValueFactory = _ => "" };
        var command = new Command("list", "Stored artifacts under a prefix, with size and time (at most 1,000).") { prefix };
        context.SetAction(command, async run =>
        {
            var artifacts = await run.Client.Artifacts.ListAsync(run.Get(prefix), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(artifacts);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("path", "size", "modified");
            foreach (var artifact in artifacts)
            {
                table.AddRow(Markup.Escape(artifact.Path), Cells.Bytes(artifact.Length), Cells.Time(artifact.LastModified));
            }

            run.Write(table);
            run.WriteLine($"{artifacts.Count:N0} artifact(s).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(CliContext context)
    {
        var (path, file) = Arguments("The local file to write (replaced if it exists).");
        var command = new Command("get", "Download an artifact to a local file, streamed.") { path, file };
        context.SetAction(command, async run =>
        {
            var target = run.Get(file);
            var partial = target.FullName + ".part";
            await using (var content = await run.Client.Artifacts.DownloadAsync(run.Get(path), run.CancellationToken))
            await using (var output = File.Create(partial))
            {
                await content.CopyToAsync(output, run.CancellationToken);
            }

            File.Move(partial, target.FullName, overwrite: true); // a download cut short never leaves half a file under the name
            var bytes = new FileInfo(target.FullName).Length;
            return run.Done(new { path = run.Get(path), file = target.FullName, bytes }, $"Wrote {Markup.Escape(target.FullName)} ({Cells.Bytes(bytes)}).");
        });
        return command;
    }

    private static Command Put(CliContext context)
    {
        var (path, file) = Arguments("The local file to upload.");
        var command = new Command("put", "Upload a local file as an artifact, replacing what the path held.") { path, file };
        context.SetAction(command, async run =>
        {
            var source = run.Get(file);
            if (!source.Exists)
            {
                throw new CliUsageException($"{source.FullName} does not exist.");
            }

            await using var content = source.OpenRead();
            var stored = await run.Client.Artifacts.UploadAsync(run.Get(path), content, run.CancellationToken);
            return run.Done(stored, $"Stored {Markup.Escape(stored.Path)} ({Cells.Bytes(stored.Length)}).");
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "The artifact's path in the store." };
        var command = new Command("delete", "Delete a stored file (admins); the platform's own folders are refused.") { path };
        context.SetAction(command, async run =>
        {
            await run.Client.Artifacts.DeleteAsync(run.Get(path), run.CancellationToken);
            return run.Done(new { deleted = run.Get(path) }, $"Deleted {Markup.Escape(run.Get(path))}.");
        });
        return command;
    }

    private static (Argument<string> Path, Argument<FileInfo> File) Arguments(string file) =>
        (new Argument<string>("path") { Description = "The artifact's path in the store, e.g. runs/exp/00000/model.zip." }, new Argument<FileInfo>("file") { Description = file });
}
