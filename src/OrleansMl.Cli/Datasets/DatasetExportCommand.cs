using System.CommandLine;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset export NAME FILE [--format csv|jsonl|parquet]</c>: saves a version as one file.</summary>
public static class DatasetExportCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var version = DatasetCommands.VersionOption();
        var format = new Option<string>("--format", "-f") { Description = "csv, jsonl or parquet (default: from the file's extension, else csv)." };
        var output = new Argument<FileInfo>("file") { Description = "The file to write (its extension names the format when --format does not)." };
        var command = new Command("export", "Saves a dataset version as one CSV, JSON lines or Parquet file (streamed).") { name, version, format, output };
        context.SetAction(command, async run =>
        {
            var file = run.Get(output)!;
            var chosen = run.Get(format) ?? file.Extension.TrimStart('.').ToLowerInvariant() switch
            {
                "jsonl" or "ndjson" => "jsonl",
                "parquet" => "parquet",
                _ => "csv",
            };
            var partial = file.FullName + ".partial";
            await using (var content = await run.Client.Datasets.ExportAsync(run.Get(name), run.Get(version)!, chosen, run.CancellationToken))
            await using (var target = File.Create(partial))
            {
                await content.CopyToAsync(target, run.CancellationToken);
            }

            // Written beside the target and moved over it at the end: an interrupted export leaves no half file under the name.
            File.Move(partial, file.FullName, overwrite: true);
            var bytes = new FileInfo(file.FullName).Length;
            if (run.Json)
            {
                run.WriteJson(new { path = file.FullName, format = chosen, bytes });
            }
            else
            {
                run.WriteLine($"Saved [bold]{Spectre.Console.Markup.Escape(file.FullName)}[/] ({chosen}, {bytes:N0} bytes).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
