using System.CommandLine;
using OrleansMl.Cli.Errors;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary>
/// <c>dataset import NAME (FILE | --file | --path | --artifact)</c>: the next version of a dataset, with a progress bar
/// while it loads. A local file may be given by position (<c>dataset import weather data.csv</c>); a server path
/// stays explicit (<c>--path</c>), so a name that happens to exist on both sides never means the wrong one.
/// </summary>
public static class DatasetImportCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var positional = new Argument<FileInfo?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "A local file to upload (as --file)." };
        var path = new Option<string>("--path") { Description = "A file or folder the server can read (under one of its OrleansMl:Datasets:ImportRoots)." };
        var file = new Option<FileInfo>("--file") { Description = "A local file (CSV, TSV, JSON lines, Parquet, or a .zip/.tar/.tar.gz of image class folders), streamed to the platform." };
        var artifact = new Option<string>("--artifact") { Description = "A path in the platform's artifact store." };
        var format = new Option<string>("--format") { Description = "csv, tsv, jsonl, parquet, idx or images (default: from the file name)." };
        format.AcceptOnlyFromAmong("csv", "tsv", "jsonl", "parquet", "idx", "images");
        var labelsPath = new Option<string>("--labels-path") { Description = "idx: the labels file the server can read." };
        var labelsArtifact = new Option<string>("--labels-artifact") { Description = "idx: the labels file in the artifact store." };
        var delimiter = new Option<string>("--delimiter") { Description = "CSV delimiter: one character or tab (default: detected)." };
        var noHeader = new Option<bool>("--no-header") { Description = "CSV: the first line is data, not column names." };
        var partitions = new Option<int?>("--partitions") { Description = "Number of partitions (default: from the row count and the silos)." };
        var imageSize = new Option<string>("--image-size") { Description = "images: the size every image is resized to, WIDTHxHEIGHT (e.g. 32x32)." };
        var imageChannels = new Option<int?>("--image-channels") { Description = "images: 1 (grayscale, default) or 3 (RGB)." };
        var badRecords = new Option<string>("--bad-records") { Description = "fail (default) stops at the first malformed record; skip quarantines it and goes on." };
        badRecords.AcceptOnlyFromAmong("fail", "skip");

        var command = new Command("import", "Import a file as the next version of a dataset.")
        {
            name, positional, path, file, artifact, format, labelsPath, labelsArtifact, delimiter, noHeader, partitions, badRecords, imageSize, imageChannels,
        };
        command.Validators.Add(result =>
        {
            var sources = new Option[] { path, file, artifact }.Count(o => result.GetResult(o) is not null) + (result.GetValue(positional) is null ? 0 : 1);
            if (sources != 1)
            {
                result.AddError("Give exactly one of FILE or --file (a local file to upload), --path (a file the server reads) or --artifact (a stored artifact).");
            }
        });

        context.SetAction(command, async run =>
        {
            var dataset = run.Get(name);
            var hasHeader = run.Get(noHeader) ? false : (bool?)null;
            var (width, height) = ImageSize(run.Get(imageSize));
            DatasetOperation operation;
            if ((run.Get(file) ?? run.Get(positional)) is { } local)
            {
                if (!local.Exists)
                {
                    throw new CliUsageException(run.Get(positional) is null
                        ? $"--file {local.FullName} does not exist."
                        : $"{local.FullName} does not exist here; for a file on the server, give --path {run.Get(positional)!.ToString()}.");
                }

                var options = new UploadOptions(run.Get(format), run.Get(delimiter), hasHeader, run.Get(badRecords), run.Get(partitions), width, height, run.Get(imageChannels));
                operation = await OperationProgress.UploadAsync(run, dataset, local, options);
            }
            else
            {
                var source = run.Get(path) is { } serverPath
                    ? new DatasetSource(Path: serverPath, LabelsPath: run.Get(labelsPath))
                    : new DatasetSource(Artifact: run.Get(artifact), LabelsArtifact: run.Get(labelsArtifact));
                var options = new ImportOptions(Delimiter: run.Get(delimiter), HasHeader: hasHeader, BadRecords: run.Get(badRecords), Partitions: run.Get(partitions),
                    ImageWidth: width, ImageHeight: height, ImageChannels: run.Get(imageChannels));
                operation = await run.Client.Datasets.ImportAsync(dataset, new ImportRequest(source, run.Get(format), options), ct: run.CancellationToken);
            }

            operation = await OperationProgress.WaitAsync(run, dataset, operation, $"importing {dataset}");
            if (run.Json)
            {
                run.WriteJson(operation);
                return ExitCodes.Ok;
            }

            run.WriteLine($"[green]Imported[/] {Markup.Escape(dataset)} version {operation.Version}: {operation.RowsRead:N0} rows.");
            if (operation.BadRecords > 0)
            {
                run.WriteLine($"[yellow]{operation.BadRecords:N0} bad records skipped[/], quarantined at {Markup.Escape(operation.QuarantinePath ?? "-")}.");
            }

            run.WriteLine($"[grey]Next: orleansml dataset describe {Markup.Escape(dataset)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"32x32" → (32, 32); null when not given.</summary>
    private static (int? Width, int? Height) ImageSize(string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        var parts = text.Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var width) && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var height)
            ? (width, height)
            : throw new CliUsageException($"--image-size is WIDTHxHEIGHT, e.g. 32x32; got '{text}'.");
    }
}
